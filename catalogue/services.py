"""Writes to the OCOP catalogue: certificates and producers. Keyword-only, validated,
atomic; callers (dashboard, tasks, demo) never write these models themselves."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue import signals
from catalogue.models import (
    Certificate,
    CertificateReminder,
    IssuingAuthority,
    Producer,
    Product,
)
from shop.roles import CATALOGUE_MANAGERS

REMINDER_LEAD_DAYS = (90, 30)


@transaction.atomic
def producer_save(*, producer: Producer, representatives=None) -> Producer:
    """Create or update a producer (a duplicate registration number is a field error)."""
    producer.full_clean()
    producer.save()
    if representatives is not None:
        producer.representatives.set(representatives)
    return producer


@transaction.atomic
def certificate_issue(
    *,
    product: Product,
    stars: int,
    score: int,
    decision_number: str,
    authority: IssuingAuthority,
    signed_on: dt.date,
    group=None,
    evidence=None,
    renews: Certificate | None = None,
    producer: Producer | None = None,
) -> Certificate:
    """Record a recognition decision. The expiry is computed; every OCOP rule is checked
    (ValidationError with field errors, nothing saved, when one fails)."""
    certificate = Certificate(
        product=product,
        producer=producer or product.producer,
        group=group or product.group,
        stars=stars,
        score=score,
        decision_number=decision_number,
        authority=authority,
        signed_on=signed_on,
        renews=renews,
    )
    if evidence:
        certificate.evidence = evidence
    certificate.full_clean(exclude=["expires_on"])
    certificate.save()
    if renews is not None and renews.status == Certificate.Status.UNDER_REASSESSMENT:
        _set_status(
            renews,
            Certificate.Status.EXPIRED,
            _("Re-recognised by decision %(number)s.") % {"number": decision_number},
        )
    signals.certification_changed_on_commit(product_ids=[product.pk])
    return certificate


def certificate_renew(*, certificate: Certificate, **decision) -> Certificate:
    """Re-recognition: a new certificate for the same product, linked to the old one."""
    if hasattr(certificate, "renewal"):
        raise ValidationError(
            {"renews": _("This certificate has already been renewed.")}
        )
    try:
        return certificate_issue(
            product=certificate.product, renews=certificate, **decision
        )
    except (
        IntegrityError
    ) as exc:  # two renewals at once: the one-to-one link refuses one
        raise ValidationError(
            {"renews": _("This certificate has already been renewed.")}
        ) from exc


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str) -> Certificate:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    _set_status(certificate, Certificate.Status.REVOKED, reason.strip())
    signals.certification_changed_on_commit(product_ids=[certificate.product_id])
    return certificate


@transaction.atomic
def certificate_start_reassessment(
    *, certificate: Certificate, reason: str = ""
) -> Certificate:
    _set_status(certificate, Certificate.Status.UNDER_REASSESSMENT, reason.strip())
    signals.certification_changed_on_commit(product_ids=[certificate.product_id])
    return certificate


def _set_status(certificate: Certificate, status: str, reason: str) -> None:
    certificate.status = status
    certificate.status_reason = reason
    certificate.status_changed_at = timezone.now()
    certificate.save(update_fields=["status", "status_reason", "status_changed_at"])


@transaction.atomic
def certificates_mark_expired(*, today: dt.date | None = None) -> int:
    """Mark active certificates past their expiry as expired (the nightly job; buyers are
    protected before it runs because validity is checked against the date)."""
    today = today or timezone.localdate()
    due = Certificate.objects.select_for_update().filter(
        status=Certificate.Status.ACTIVE, expires_on__lte=today
    )
    product_ids = list(due.values_list("product_id", flat=True))
    count = due.update(
        status=Certificate.Status.EXPIRED,
        status_reason="Expired (36 months after signing).",
        status_changed_at=timezone.now(),
    )
    if product_ids:
        signals.certification_changed_on_commit(product_ids=product_ids)
    return count


def certificate_reminders_send(*, today: dt.date | None = None) -> int:
    """Email the producer and the catalogue managers 90 and 30 days before expiry. Each
    reminder is recorded first, so a re-run (or a missed day caught up) sends no double."""
    today = today or timezone.localdate()
    managers = list(
        Group.objects.get(name=CATALOGUE_MANAGERS)
        .user_set.filter(is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    sent = 0
    for lead in sorted(REMINDER_LEAD_DAYS):
        due = (
            Certificate.objects.valid_on(today)
            .filter(expires_on__lte=today + dt.timedelta(days=lead))
            .exclude(reminders__days_before__lte=lead)
            .exclude(renewal__isnull=False)
            .select_related("product", "producer")
        )
        for certificate in due:
            with transaction.atomic():
                _reminder, created = CertificateReminder.objects.get_or_create(
                    certificate=certificate, days_before=lead
                )
                if not created:
                    continue
                recipients = [*managers, certificate.producer.email]
                send_mail(
                    subject=_("OCOP certificate %(number)s expires on %(date)s")
                    % {
                        "number": certificate.decision_number,
                        "date": certificate.expires_on,
                    },
                    message=_(
                        "The OCOP certificate of %(product)s (%(stars)s stars, decision "
                        "%(number)s) expires on %(date)s. Apply for re-assessment in time "
                        "to keep selling it."
                    )
                    % {
                        "product": certificate.product.title,
                        "stars": certificate.stars,
                        "number": certificate.decision_number,
                        "date": certificate.expires_on,
                    },
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[r for r in recipients if r],
                )
                sent += 1
    return sent
