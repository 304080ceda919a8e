import pytest

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # port 1: nothing listens there


def test_healthz_is_200_when_everything_works(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "search"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_names_the_database_search_backend(client, settings):
    settings.ELASTICSEARCH_URL = ""

    response = client.get("/healthz")

    assert response.json()["checks"]["search"] == {"ok": True, "detail": "database"}


def test_healthz_reports_search_degraded_but_200_when_elasticsearch_is_down(
    client, settings
):
    from search import backends
    from search.outbox import outbox_add

    settings.ELASTICSEARCH_URL = "http://user:secret@127.0.0.1:1"  # nothing listens
    backends._elasticsearch.clear()
    outbox_add([1, 2])  # changes waiting for the index

    response = client.get("/healthz")
    backends._elasticsearch.clear()

    # then searching still works (from the database): 200, the check ok but degraded
    assert response.status_code == 200
    body = response.json()
    assert body["failed"] == []
    search = body["checks"]["search"]
    assert search["ok"] is True
    assert search["detail"] == (
        "degraded: elasticsearch unreachable at http://127.0.0.1:1, falling back to "
        "database; 2 outbox rows pending"
    )


def test_healthz_names_the_cache_when_it_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


def test_healthz_names_the_broker_when_it_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = UNREACHABLE_REDIS

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["broker"]
    assert body["checks"]["broker"]["ok"] is False
