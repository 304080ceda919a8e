"""Tasks sent after a commit are never lost, even while the broker is down.

task_send_on_commit(task, **kwargs) writes a TaskOutboxEntry in the caller's
transaction, so a rolled-back change sends nothing and a committed one always leaves
its row. After the commit the row is sent with a short broker timeout and no publish
retries, then deleted. If the broker cannot take it (Redis down), the row stays
(attempts + 1, last_error) and the request that committed the change carries on: the
buyer gets their page, the email waits in the database.

What sends the backlog once Redis is back:
  - beat's "task-outbox-flush" entry (every minute): beat and the workers reconnect
    by themselves, and the first tick after that runs task_outbox_flush on a worker;
  - any later commit that sends a task: once its own row went through, the broker is
    evidently back, so it asks a worker to flush the older rows;
  - `manage.py task_outbox_flush`, by hand or from cron where beat does not run.

Each row is sent under a row lock (SKIP LOCKED on PostgreSQL) and deleted in the same
transaction, so two flushes never both send it. If the database fails after the broker
took a message, the row is sent again: the tasks sent this way must be idempotent (the
shop's are: see shop.order.emails and shop.order.tasks)."""

import datetime as dt
import logging
from functools import partial

from celery import current_app
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from shop.models import TaskOutboxEntry

logger = logging.getLogger(__name__)

_ERROR_CHARS = 2000
# A row older than this that was never tried lost its after-commit send (the process
# died in between): a later commit's flush takes it too.
_ORPHAN_AFTER = dt.timedelta(minutes=1)


class TaskNotSent(Exception):
    """The broker did not take the task (or, eager, it failed); the row stays."""


def task_send_on_commit(task, **kwargs) -> TaskOutboxEntry:
    """Send `task` with these keyword arguments once the current transaction commits
    (at once outside a transaction). Call it inside the transaction of the change."""
    entry = TaskOutboxEntry.objects.create(task=task.name, kwargs=kwargs)
    # robust: the change is committed whatever happens next; a failure is logged.
    transaction.on_commit(partial(_send_after_commit, entry.pk), robust=True)
    return entry


def task_outbox_flush(limit: int = 500) -> int:
    """Send up to `limit` waiting rows (the fewest-failed, oldest first); the number
    sent. Stops at the first failure: the broker is still down, the rest can wait."""
    sent = 0
    pending = TaskOutboxEntry.objects.order_by("attempts", "pk").values_list(
        "pk", flat=True
    )
    for pk in list(pending[:limit]):
        try:
            sent += _send(pk)
        except TaskNotSent:
            break
    if sent:
        logger.info("task outbox: %s tasks sent from the backlog", sent)
    return sent


def task_outbox_pending() -> int:
    return TaskOutboxEntry.objects.count()


def _send_after_commit(pk: int) -> None:
    try:
        sent = _send(pk)
    except TaskNotSent:
        return
    if sent and _backlog_exists(exclude=pk):
        _flush_elsewhere()


def _send(pk: int) -> bool:
    """Send one row and delete it; False if it is gone or another sender holds it.
    Raises TaskNotSent (after recording the failure) if it could not be sent."""
    with transaction.atomic():
        rows = TaskOutboxEntry.objects.filter(pk=pk)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        entry = rows.first()
        if entry is None:
            return False
        try:
            _apply(entry)
        except Exception as exc:  # noqa: BLE001  (any failure: the row stays)
            failure = exc
        else:
            entry.delete()
            return True
    TaskOutboxEntry.objects.filter(pk=pk).update(
        attempts=F("attempts") + 1, last_error=repr(failure)[:_ERROR_CHARS]
    )
    logger.warning("task outbox: %s kept for a later flush: %r", entry.task, failure)
    raise TaskNotSent(entry.task) from failure


def _apply(entry: TaskOutboxEntry) -> None:
    task = _task(entry.task)
    # No publish retries: a down broker answers at once and the row is the retry.
    # (Eager mode, without a broker, runs the task here; its failure keeps the row.)
    task.apply_async(kwargs=entry.kwargs, retry=False)


def _task(name: str):
    """The task by name: from the app's registry, or imported (every task here keeps
    Celery's default name, its dotted path)."""
    app = current_app._get_current_object()
    if name in app.tasks:
        return app.tasks[name]
    return import_string(name)


def _backlog_exists(*, exclude: int) -> bool:
    earlier = timezone.now() - _ORPHAN_AFTER
    return (
        TaskOutboxEntry.objects.exclude(pk=exclude)
        .filter(Q(attempts__gt=0) | Q(created_at__lt=earlier))
        .exists()
    )


def _flush_elsewhere() -> None:
    """Ask a worker to send the backlog (not this request: it may be long)."""
    from shop.tasks import task_outbox_flush_task

    try:
        task_outbox_flush_task.apply_async(retry=False)
    except Exception as exc:  # noqa: BLE001  (beat's flush catches up)
        logger.warning("task outbox: could not ask for a flush: %r", exc)
