"""Health checks of the parts a request depends on: database, cache, broker and
search."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from kombu import Connection


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


def check_database() -> CheckResult:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure is the answer we report
        return CheckResult("database", False, f"{type(exc).__name__}: {exc}")
    return CheckResult("database", True, connection.vendor)


def check_cache() -> CheckResult:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=5)
        value = cache.get(key)
        cache.delete(key)
    except Exception as exc:
        return CheckResult("cache", False, f"{type(exc).__name__}: {exc}")
    if value != "ok":
        return CheckResult("cache", False, "value written was not read back")
    return CheckResult(
        "cache", True, settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    )


def check_broker() -> CheckResult:
    if settings.CELERY_BROKER_URL.startswith("memory://"):
        return CheckResult("broker", True, "none configured: tasks run eagerly")
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:
        return CheckResult("broker", False, f"{type(exc).__name__}: {exc}")
    return CheckResult("broker", True, conn.transport_cls)


def check_search() -> CheckResult:
    """Which backend answers searches. Elasticsearch down is not a failure (search
    answers from the database, and the outbox keeps the changes for it), but the
    detail starts with "degraded" and says how many changes wait."""
    from search.backends import elasticsearch_backend
    from search.elastic_backend import redacted
    from search.outbox import outbox_pending

    backend = elasticsearch_backend()
    if backend is None:
        return CheckResult("search", True, "database")
    if backend.is_available(fresh=True):
        return CheckResult("search", True, "elasticsearch")
    try:
        pending = f"{outbox_pending()} outbox rows pending"
    except Exception as exc:  # the database check reports the database
        pending = f"outbox unreadable: {type(exc).__name__}"
    return CheckResult(
        "search",
        True,
        f"degraded: elasticsearch unreachable at {redacted(backend.url)}, falling "
        f"back to database; {pending}",
    )


def run_checks() -> list[CheckResult]:
    return [check_database(), check_cache(), check_broker(), check_search()]
