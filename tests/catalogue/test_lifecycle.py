import datetime as dt

import pytest
from django.conf import settings
from django.core import mail

from catalogue import services, tasks
from catalogue.models import Certificate, add_months
from shop import roles
from tests.factories import UserFactory, create_product, issue_certificate

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def certificate_expiring_in(days: int) -> Certificate:
    expires_on = TODAY + dt.timedelta(days=days)
    certificate = issue_certificate(
        create_product(certified=False), stars=4, signed_on=add_months(expires_on, -36)
    )
    assert certificate.expires_on == expires_on
    return certificate


def test_the_daily_job_marks_only_certificates_past_their_expiry():
    due = certificate_expiring_in(0)
    tomorrow = certificate_expiring_in(1)

    count = services.certificates_mark_expired(today=TODAY)

    due.refresh_from_db(), tomorrow.refresh_from_db()
    assert count == 1
    assert due.status == Certificate.Status.EXPIRED
    assert tomorrow.status == Certificate.Status.ACTIVE


def test_the_expiry_task_runs_through_celery_and_is_idempotent():
    product = create_product(certified=False)
    old = issue_certificate(product, stars=4, signed_on=dt.date(2022, 1, 10))

    first = tasks.certificates_mark_expired_task.delay().get()
    second = tasks.certificates_mark_expired_task.delay().get()

    old.refresh_from_db()
    assert (first, second) == (1, 0)
    assert old.status == Certificate.Status.EXPIRED


def test_reminders_go_90_and_30_days_ahead_to_the_producer_and_catalogue_managers():
    manager = UserFactory(groups=[roles.CATALOGUE_MANAGERS])
    in_90, in_30, in_200 = (certificate_expiring_in(d) for d in (90, 30, 200))

    sent = services.certificate_reminders_send(today=TODAY)

    assert sent == 2
    recipients = {tuple(sorted(m.to)) for m in mail.outbox}
    assert recipients == {
        tuple(sorted([manager.email, in_90.producer.email])),
        tuple(sorted([manager.email, in_30.producer.email])),
    }
    assert all(in_200.decision_number not in m.subject for m in mail.outbox)


def test_reminders_are_not_sent_twice():
    certificate_expiring_in(25)
    services.certificate_reminders_send(today=TODAY)

    again = services.certificate_reminders_send(today=TODAY)
    later = services.certificate_reminders_send(today=TODAY + dt.timedelta(days=3))

    assert (again, later) == (0, 0)
    assert len(mail.outbox) == 1


def test_a_certificate_first_reminded_at_90_days_is_reminded_again_at_30():
    certificate = certificate_expiring_in(90)
    services.certificate_reminders_send(today=TODAY)

    services.certificate_reminders_send(today=TODAY + dt.timedelta(days=60))

    assert sorted(certificate.reminders.values_list("days_before", flat=True)) == [
        30,
        90,
    ]
    assert len(mail.outbox) == 2


def test_the_beat_schedule_runs_the_daily_jobs():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {
        "catalogue.tasks.certificates_mark_expired_task",
        "catalogue.tasks.certificate_reminders_send_task",
    } <= scheduled
