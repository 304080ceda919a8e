"""Fixtures of the reliability suite: real processes against PostgreSQL and Redis.

Tests that start processes need PostgreSQL (the processes share the test database;
SQLite's is in memory) and skip with the reason otherwise; those that need Redis skip
without REDIS_URL, and those that stop Redis start a redis-server of their own (never
the machine's, which other tests use) and skip without the binary."""

import os
import shutil
import uuid

import pytest
from django.db import connection

from tests.reliability import processes


@pytest.fixture
def postgres(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the processes started here share the test database: PostgreSQL only "
            "(set DATABASE_URL=postgres://...)"
        )


@pytest.fixture
def redis_url(settings):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: a real worker needs the Redis broker")
    return settings.REDIS_URL


@pytest.fixture
def queue() -> str:
    return f"reliability-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def smtp_sink():
    sink = processes.SmtpSink()
    yield sink
    sink.close()


@pytest.fixture
def redis_server():
    """A redis-server of the test's own, started; stopped at the end."""
    if not shutil.which("redis-server", path=f"{os.environ.get('PATH', '')}:/usr/bin"):
        pytest.skip("redis-server is not installed: the outage test runs its own")
    server = processes.RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def started():
    """Register processes to stop at the end of the test (before the database is
    flushed: they hold connections to it)."""
    running = []
    yield running.append
    for process in reversed(running):
        processes.stop(process)


@pytest.fixture
def sending_to(settings):
    """Make this process send tasks to a real broker (REDIS_URL) on `queue`, instead
    of running them inline, as the web processes of the site do."""
    from shop.celery import app

    previous = (app.conf.task_always_eager, app.conf.task_default_queue)

    def use(queue: str) -> None:
        app.conf.task_always_eager, app.conf.task_default_queue = False, queue

    yield use
    app.conf.task_always_eager, app.conf.task_default_queue = previous
