import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import translation

from cms import demo as cms_demo
from cms.cache import generations_advance
from search.outbox import outbox_drain
from tests.factories import create_product


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request of an earlier test (its
    LocaleMiddleware) leaves its language active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def cms_cache_generations():
    """A test's rows are rolled back but the cache outlives them: new generations
    make the menu, footer and pages cached by an earlier test unreachable (clearing
    the cache would flush the Redis database the broker shares in CI)."""
    generations_advance("pages", "catalogue", "chrome")


@pytest.fixture
def english_client(client):
    """The test client asking for English: paths outside the language prefix (API,
    dashboard) answer in Vietnamese by default."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def home_pages(db):
    """The Vietnamese home page, its English translation and the default site."""
    cms_demo.seed(seed=42)


@pytest.fixture
def product(db):
    """A certified product in stock, searchable (its outbox row drained, as the task
    sent after the commit would)."""
    created = create_product()
    outbox_drain()
    return created


@pytest.fixture
def celery_worker(settings, transactional_db):
    """A real Celery worker process consuming a queue of its own on the Redis broker.

    Skipped without REDIS_URL: there is no broker for a worker to listen on."""
    import os
    import subprocess
    import sys
    import uuid

    from django.db import connection

    from shop.celery import app

    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: a real worker needs the Redis broker")
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "shop.settings.test",
    }
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "shop", "worker", "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat",
         "--loglevel=WARNING", "-Q", queue, "-n", f"{queue}@%h"],
        env=env,
    )  # fmt: skip
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        yield worker
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests end with a flush, which also empties what data migrations
    loaded (regions, product groups, staff groups); the next one gets them back here.
    (serialized_rollback does not restore them once a live-server test has run.)"""
    from importlib import import_module

    from django.apps import apps
    from oscar.core.loading import get_model

    from catalogue.models import AdministrativeUnit
    from catalogue.reference_data import reference_data_load
    from catalogue.reference_provinces import reference_provinces_load
    from shop.roles import SALES_POINT_STAFF, roles_sync

    vietnam_add = import_module("shop.migrations.0006_country_vietnam").vietnam_add
    Country = get_model("address", "Country")

    if not AdministrativeUnit.objects.exists():
        reference_data_load(apps)
        reference_provinces_load(apps)
    if not Country.objects.filter(pk="VN").exists():
        vietnam_add(apps, None)
    if not Group.objects.filter(name=SALES_POINT_STAFF).exists():
        roles_sync(apps)


@pytest.fixture(scope="session")
def localstripe_server():
    """A real localstripe (the Stripe emulator) on a free loopback port, for the
    session; the real `stripe` library talks to it."""
    import shutil
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = shutil.which("localstripe", path=str(Path(sys.executable).parent))
    if command is None:
        pytest.skip("localstripe is not installed (pip install -e '.[dev]')")
    process = subprocess.Popen(
        [command, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("localstripe did not start")
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def stripe_api(settings, localstripe_server):
    """Point the project's Stripe calls at the session's localstripe."""
    settings.STRIPE_API_BASE = localstripe_server
    return localstripe_server


def pytest_collection_modifyitems(config, items):
    """Every transactional test must use serialized_rollback: a flush without it
    re-creates content types and permissions (post_migrate), which the next serialized
    test then restores a second time (duplicate key errors, depending on test order)."""
    offenders = []
    for item in items:
        if not {"transactional_db", "live_server"} & set(item.fixturenames):
            continue
        marker = item.get_closest_marker("django_db")
        if not (marker and marker.kwargs.get("serialized_rollback")):
            offenders.append(item.nodeid)
    if offenders:
        raise pytest.UsageError(
            "mark these @pytest.mark.django_db(transaction=True, "
            "serialized_rollback=True): " + ", ".join(offenders)
        )
