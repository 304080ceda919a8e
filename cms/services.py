"""Writes to the Wagtail page tree."""

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from wagtail.admin.mail import send_mail
from wagtail.models import Locale, Page, Site

from cms.models import (
    FooterContent,
    FormPageSubmission,
    HomePage,
    NavigationMenu,
    SocialLinks,
)

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
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in HOME_SLUGS
    }
    # Wagtail's migration makes the tree's root; a flushed database has none.
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locales["vi"])
    )
    # Wagtail's placeholder "Welcome" page holds the "home" slug: replace it.
    root.get_children().filter(
        content_type__app_label="wagtailcore", content_type__model="page"
    ).delete()

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


# --- Site chrome -------------------------------------------------------------------

# Menu and footer labels per language: (section, vi, en). A section is a URL name or
# the slug of a page in that language's tree; missing ones are left out.
CHROME_MENU = [
    ("catalogue:index", "Cửa hàng", "Shop"),
    ("page:stories", "Câu chuyện", "Stories"),
    ("page:events", "Sự kiện", "Events"),
    ("page:campaigns", "Khuyến mại", "Campaigns"),
    ("page:producers", "Nhà sản xuất", "Producers"),
    ("ocop:statistics", "Thống kê", "Statistics"),
    ("sales_points:list", "Điểm bán", "Sales points"),
]
CHROME_FOOTER_LINKS = [
    ("page:news", "Tin tức", "News"),
    ("page:wholesale", "Liên hệ bán buôn", "Wholesale enquiries"),
    ("sales_points:list", "Tìm điểm bán", "Find a sales point"),
]
CHROME_FOOTER_TEXT = {
    "vi": (
        "Chợ OCOP chỉ bán sản phẩm đạt chứng nhận Chương trình mỗi xã một sản phẩm "
        "(3 đến 5 sao, chứng nhận còn hiệu lực).\n"
        "Sở Công Thương tỉnh Thái Nguyên."
    ),
    "en": (
        "OCOP Market sells only products certified under Vietnam's One Commune One "
        "Product programme (3 to 5 stars, certificate in force).\n"
        "Thai Nguyen Department of Industry and Trade."
    ),
}
CHROME_SOCIAL = {
    "facebook": "https://www.facebook.com/ocopthainguyen",
    "zalo": "https://zalo.me/ocopthainguyen",
    "youtube": "https://www.youtube.com/@ocopthainguyen",
    "tiktok": "https://www.tiktok.com/@ocopthainguyen",
}


def _chrome_links(sections, language: str, home: Page) -> list[tuple[str, dict]]:
    blocks = []
    for section, label_vi, label_en in sections:
        label = label_vi if language == "vi" else label_en
        if section.startswith("page:"):
            page = home.get_descendants().filter(slug=section[5:]).first()
            if page is not None:
                blocks.append(("link", {"label": label, "page": page, "url": ""}))
            continue
        try:
            with translation.override(language):
                url = reverse(section)
        except NoReverseMatch:
            continue  # that part of the site is not installed
        blocks.append(("link", {"label": label, "page": None, "url": url}))
    return blocks


@transaction.atomic
def site_chrome_defaults_ensure(*, social: dict[str, str] | None = None) -> None:
    """A menu and a footer in each language of the home pages, linking the sections
    that exist, and the province's social links on the default site. Safe to re-run:
    what exists is updated and stays published. Call it after the pages are made."""
    homes = sorted(
        HomePage.objects.select_related("locale"),
        key=lambda home: home.locale.language_code != settings.LANGUAGE_CODE,
    )
    keys = {}  # the other languages' menu and footer are translations of the first
    for home in homes:
        language = home.locale.language_code
        for model, sections in ((NavigationMenu, CHROME_MENU), (FooterContent, None)):
            snippet = model.objects.filter(locale=home.locale).first()
            if snippet is None:
                snippet = model(locale=home.locale)
                if model in keys:
                    snippet.translation_key = keys[model]
            keys.setdefault(model, snippet.translation_key)
            before = _chrome_state(snippet) if snippet.pk else None
            if sections:
                snippet.items = _chrome_links(sections, language, home)
            else:
                snippet.text = CHROME_FOOTER_TEXT.get(
                    language, CHROME_FOOTER_TEXT["en"]
                )
                snippet.links = _chrome_links(CHROME_FOOTER_LINKS, language, home)
            if before is None or before != _chrome_state(snippet) or not snippet.live:
                _publish(snippet)  # only when changed: a re-run adds no revisions
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        links = SocialLinks.objects.filter(site=site).first() or SocialLinks(site=site)
        for network, url in (CHROME_SOCIAL if social is None else social).items():
            setattr(links, network, url)
        links.save()


def _chrome_state(snippet) -> tuple:
    """What a menu or footer says: its text and its links (not the block ids)."""
    stream = snippet.items if hasattr(snippet, "items") else snippet.links
    links = [
        (child.block_type, child.value["label"],
         getattr(child.value["page"], "pk", None), child.value["url"])
        for child in stream
    ]  # fmt: skip
    return getattr(snippet, "text", None), links


def _publish(snippet) -> None:
    snippet.save()
    snippet.save_revision().publish()
