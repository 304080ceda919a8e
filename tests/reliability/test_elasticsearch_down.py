"""With Elasticsearch configured but unreachable, the running site answers searches
from the database, and no change is lost: its search outbox rows stay pending and are
drained once the backend is the database again.

Real processes (gunicorn and a Celery worker with ELASTICSEARCH_URL on a closed port);
tests/search/test_backends.py covers the same fallback in-process, piece by piece."""

import pytest
import requests
from django.urls import reverse

from search.models import OutboxEntry
from search.outbox import outbox_drain_all
from search.tasks import search_outbox_drain_task
from tests.factories import create_product
from tests.reliability import processes


def search_page(base: str, text: str) -> requests.Response:
    return requests.get(
        base + reverse("search:search"), {"q": text}, timeout=60, allow_redirects=False
    )


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_elasticsearch_unreachable_search_answers_and_changes_wait_in_the_outbox(
    postgres, reference_data, redis_url, queue, started, sending_to
):
    tea = create_product(title="Trà Tân Cương")
    outbox_drain_all()  # the database documents (this process has no Elasticsearch)
    down = f"http://127.0.0.1:{processes.free_port()}"
    with_es = processes.process_env(
        REDIS_URL=redis_url, RELIABILITY_QUEUE=queue, ELASTICSEARCH_URL=down
    )
    server, base = processes.server_start(with_es)
    started(server)
    worker = processes.worker_start(with_es, queue)
    started(worker)
    sending_to(queue)

    # the search page answers from the database
    response = search_page(base, "tra tan cuong")
    assert response.status_code == 200 and "Trà Tân Cương" in response.text

    # when the product changes, the worker's drain cannot reach Elasticsearch
    tea.title = "Trà Tân Cương đặc biệt"
    tea.save()

    # then the row stays, with the error, and the database documents followed
    assert processes.wait_until(
        lambda: OutboxEntry.objects.filter(product_id=tea.pk, attempts__gte=1).first(),
        timeout=60,
    ), "the worker did not try to drain"
    assert "ConnectionError" in OutboxEntry.objects.get(product_id=tea.pk).last_error
    response = search_page(base, "dac biet")
    assert response.status_code == 200 and "Trà Tân Cương đặc biệt" in response.text

    # when the worker runs with the database as the backend again, the drain (the
    # task's own retry, or beat's next one) empties the outbox
    processes.stop(worker)
    without_es = {**with_es, "ELASTICSEARCH_URL": ""}
    started(processes.worker_start(without_es, queue))
    search_outbox_drain_task.delay()
    assert processes.wait_until(lambda: not OutboxEntry.objects.exists(), timeout=60), (
        "the outbox was not drained"
    )
