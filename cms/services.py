"""Writes to the Wagtail page tree."""

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from wagtail.admin.mail import send_mail
from wagtail.models import Locale, Page, Site

from cms.models import FormPageSubmission, HomePage

HOME_SLUGS = {
    "vi": "home",
    "en": "home-en",
}  # siblings under the root need distinct slugs


@transaction.atomic
def home_pages_ensure(
    *, titles: dict[str, str], hero: dict[str, str], intro: dict[str, str]
) -> HomePage:
    """Make sure there is a Vietnamese home page, its English translation, and a default
    Site rooted at it. Safe to re-run: existing pages are updated, not duplicated."""
    root = Page.get_first_root_node()
    # Wagtail's placeholder "Welcome" page holds the "home" slug: replace it.
    root.get_children().filter(
        content_type__app_label="wagtailcore", content_type__model="page"
    ).delete()
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in HOME_SLUGS
    }

    home_vi = HomePage.objects.filter(locale=locales["vi"]).first()
    if home_vi is None:
        home_vi = root.add_child(
            instance=HomePage(
                title=titles["vi"], slug=HOME_SLUGS["vi"], locale=locales["vi"]
            )
        )
    _update(home_vi, titles["vi"], hero["vi"], intro["vi"])

    home_en = home_vi.get_translation_or_none(locales["en"])
    if home_en is None:
        home_en = home_vi.copy_for_translation(locales["en"])
        home_en.slug = HOME_SLUGS["en"]
    _update(home_en.specific, titles["en"], hero["en"], intro["en"])

    site = Site.objects.filter(is_default_site=True).first() or Site(
        is_default_site=True
    )
    site.hostname, site.port, site.site_name = "localhost", 80, "OCOP Market"
    site.root_page = home_vi
    site.save()
    return home_vi


def _update(page: HomePage, title: str, hero: str, intro: str) -> None:
    page.title, page.hero_heading, page.intro = title, hero, intro
    page.save_revision().publish()


@transaction.atomic
def form_submission_email_send(*, submission_id: int) -> bool:
    """Email a stored form submission to its page's addresses, once: the submission is
    locked and marked, so a retried task sends nothing twice. False if already sent
    (or there is nowhere to send it)."""
    submission = (
        FormPageSubmission.objects.select_for_update()
        .select_related("page")
        .get(pk=submission_id)
    )
    page = submission.page.specific
    addresses = [a.strip() for a in page.to_address.split(",") if a.strip()]
    if submission.emailed_at is not None or not addresses:
        return False
    data = submission.get_data()
    lines, reply_to = [], None
    for field in page.get_form_fields():
        value = data.get(field.clean_name, "")
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        if field.field_type == "email" and value and reply_to is None:
            reply_to = [value]  # the enquirer: a reply goes straight to them
        lines.append(f"{field.label}: {value}")
    send_mail(
        page.subject or page.title,
        "\n".join(lines),
        addresses,
        page.from_address,
        reply_to=reply_to,
    )
    submission.emailed_at = timezone.now()
    submission.save(update_fields=["emailed_at"])
    return True


def pages_publish_scheduled() -> None:
    """Publish the revisions approved for a time now past and unpublish what has
    expired (pages and snippets): Wagtail's publish_scheduled command, which only acts
    on what is due, so running it again changes nothing."""
    call_command("publish_scheduled", verbosity=0)
