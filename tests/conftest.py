import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import translation

from cms import demo as cms_demo
from tests.factories import create_product


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request of an earlier test (its
    LocaleMiddleware) leaves its language active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


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
    return create_product()


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
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings.test"}
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
    from django.apps import apps

    from catalogue.models import AdministrativeUnit
    from catalogue.reference_data import reference_data_load
    from shop.roles import SALES_POINT_STAFF, roles_sync

    if not AdministrativeUnit.objects.exists():
        reference_data_load(apps)
    if not Group.objects.filter(name=SALES_POINT_STAFF).exists():
        roles_sync(apps)
