import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import Locale, Site

from cms import services
from cms.models import (
    FooterContent,
    NavigationMenu,
    PromoBanner,
    SocialLinks,
    StoryIndexPage,
)
from cms.snippets import LinkBlock
from shop.roles import COMMUNICATIONS_EDITORS, COMMUNICATIONS_MODERATORS
from tests.cms import pages

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def stories(home_pages):
    index = pages.index(StoryIndexPage, "stories", "Câu chuyện")
    pages.translate(index)
    return index


def locale(code: str) -> Locale:
    return Locale.objects.get(language_code=code)


def nav(html: str) -> str:
    match = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    assert match, "no site navigation"
    return match.group(0)


def footer(html: str) -> str:
    match = re.search(r'<footer class="site-footer">.*?</footer>', html, re.S)
    assert match, "no footer"
    return match.group(0)


def link(label, page=None, url=""):
    return ("link", {"label": label, "page": page, "url": url})


def test_without_a_menu_the_header_lists_the_sections_by_itself(client, stories):
    html = nav(client.get("/vi/").content.decode())

    assert f'href="{stories.url}"' in html
    assert f'href="{reverse("catalogue:index")}"' in html


def test_the_editors_menu_drives_the_header(client, stories):
    NavigationMenu.objects.create(
        locale=locale("vi"),
        items=[
            link("Trà Thái Nguyên", page=stories),
            link("Cửa hàng", url="/vi/shop/"),
        ],
    )

    html = nav(client.get("/vi/shop/").content.decode())

    assert f'<a href="{stories.url}">Trà Thái Nguyên</a>' in html
    assert '<a href="/vi/shop/" aria-current="page">Cửa hàng</a>' in html
    assert "/statistics/" not in html  # the default sections are gone


def test_a_menu_item_follows_its_page_into_the_english_tree(client, stories):
    english_stories = stories.get_translation(locale("en"))
    NavigationMenu.objects.create(
        locale=locale("en"), items=[link("Tea stories", page=stories)]
    )

    html = nav(client.get("/en/").content.decode())

    assert f'<a href="{english_stories.url}">Tea stories</a>' in html
    assert english_stories.url.startswith("/en/")


def test_a_draft_menu_is_not_shown(client, stories):
    NavigationMenu.objects.create(
        locale=locale("vi"), items=[link("Bản nháp", url="/vi/draft/")], live=False
    )

    html = nav(client.get("/vi/").content.decode())

    assert "Bản nháp" not in html
    assert f'href="{stories.url}"' in html


def test_a_changed_menu_shows_on_the_next_request(client, stories):
    menu = NavigationMenu.objects.create(
        locale=locale("vi"), items=[link("Cũ", url="/vi/shop/")]
    )
    assert "Cũ" in nav(client.get("/vi/").content.decode())

    menu.items = [link("Mới", url="/vi/shop/")]
    menu.save()
    html = nav(client.get("/vi/").content.decode())

    assert "Mới" in html and "Cũ" not in html


def test_each_language_has_one_menu(home_pages):
    NavigationMenu.objects.create(locale=locale("vi"))

    with pytest.raises(ValidationError):
        NavigationMenu(locale=locale("vi")).full_clean()
    NavigationMenu(locale=locale("en")).full_clean()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)", "//evil.example/", "data:text/html,x", "vi/shop",
        "/\\evil.example/", "/vi/ shop", "https://ok.example/\x00",
    ],
)  # fmt: skip
def test_a_link_cannot_run_script_or_leave_by_a_trick(url):
    with pytest.raises(ValidationError):
        LinkBlock().clean({"label": "x", "page": None, "url": url})
    with pytest.raises(ValidationError):
        PromoBanner(link_url=url).clean_fields(exclude=["text", "starts_at", "ends_at"])


def test_a_link_needs_a_page_or_an_address():
    with pytest.raises(ValidationError):
        LinkBlock().clean({"label": "x", "page": None, "url": ""})
    LinkBlock().clean({"label": "x", "page": None, "url": "https://ocop.gov.vn/"})


def test_the_footer_shows_the_editors_text_links_and_social_links(client, stories):
    FooterContent.objects.create(
        locale=locale("en"),
        text="Thai Nguyen Department of Industry and Trade",
        links=[link("Our stories", page=stories)],
    )
    SocialLinks.objects.create(
        site=Site.objects.get(is_default_site=True),
        facebook="https://www.facebook.com/ocop",
        zalo="https://zalo.me/ocop",
    )

    html = footer(client.get("/en/shop/").content.decode())

    assert "Thai Nguyen Department of Industry and Trade" in html
    assert f'href="{stories.get_translation(locale("en")).url}">Our stories' in html
    assert 'href="https://www.facebook.com/ocop"' in html
    assert 'href="https://zalo.me/ocop"' in html
    assert "YouTube" not in html  # not set: not shown


def banner(language="vi", **fields):
    now = timezone.now()
    fields.setdefault("text", "Quà Tết OCOP giảm 10%")
    fields.setdefault("starts_at", now - dt.timedelta(hours=1))
    fields.setdefault("ends_at", now + dt.timedelta(days=7))
    return PromoBanner.objects.create(locale=locale(language), **fields)


def test_the_banner_shows_on_shop_and_content_pages_while_it_runs(
    client, home_pages, product
):
    banner(link_url="/vi/shop/", link_label="Mua quà")

    for path in ("/vi/", "/vi/shop/", product.get_absolute_url()):
        html = client.get(path).content.decode()
        assert "Quà Tết OCOP giảm 10%" in html, path
        assert 'href="/vi/shop/">Mua quà</a>' in html, path
    assert "Quà Tết OCOP" not in client.get("/en/").content.decode()


def test_the_banner_is_shown_only_between_its_start_and_end(client, home_pages):
    now = timezone.now()
    banner(starts_at=now + dt.timedelta(days=1), ends_at=now + dt.timedelta(days=2))

    assert "Quà Tết OCOP" not in client.get("/vi/").content.decode()
    with freeze_time(now + dt.timedelta(days=1, hours=1)):
        assert "Quà Tết OCOP" in client.get("/vi/").content.decode()
    with freeze_time(now + dt.timedelta(days=3)):
        assert "Quà Tết OCOP" not in client.get("/vi/").content.decode()


def test_of_two_running_banners_the_one_started_last_is_shown(client, home_pages):
    now = timezone.now()
    banner(text="Mùa trà", starts_at=now - dt.timedelta(days=3))
    banner(text="Quà Tết", starts_at=now - dt.timedelta(hours=1))

    html = client.get("/vi/").content.decode()

    assert "Quà Tết" in html and "Mùa trà" not in html


def test_a_banner_must_end_after_it_starts():
    now = timezone.now()
    with pytest.raises(ValidationError):
        PromoBanner(text="x", starts_at=now, ends_at=now).clean()


def test_editors_draft_the_chrome_and_moderators_publish_it(django_user_model):
    editor = django_user_model.objects.create_user("editor", "e@example.com", "pw")
    editor.groups.add(Group.objects.get(name=COMMUNICATIONS_EDITORS))
    moderator = django_user_model.objects.create_user("mod", "m@example.com", "pw")
    moderator.groups.add(Group.objects.get(name=COMMUNICATIONS_MODERATORS))

    for model in ("navigationmenu", "footercontent", "promobanner"):
        assert editor.has_perm(f"cms.add_{model}")
        assert editor.has_perm(f"cms.change_{model}")
        assert not editor.has_perm(f"cms.publish_{model}")
        assert not editor.has_perm(f"cms.delete_{model}")
        assert moderator.has_perm(f"cms.publish_{model}")
        assert moderator.has_perm(f"cms.delete_{model}")
    assert not editor.has_perm("cms.change_sociallinks")
    assert moderator.has_perm("cms.change_sociallinks")


def test_an_editor_opens_the_banner_editor_in_the_admin(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", "e@example.com", "pw")
    editor.groups.add(Group.objects.get(name=COMMUNICATIONS_EDITORS))
    client.force_login(editor)

    listing = client.get("/cms-admin/snippets/cms/promobanner/")
    create = client.get("/cms-admin/snippets/cms/promobanner/add/")

    assert listing.status_code == 200
    assert create.status_code == 200
    assert "Publish" not in create.content.decode().split("<form", 1)[1]


def test_the_demo_chrome_is_made_in_both_languages_and_safe_to_rerun(client, stories):
    services.site_chrome_defaults_ensure()
    services.site_chrome_defaults_ensure()

    assert NavigationMenu.objects.filter(live=True).count() == 2
    assert FooterContent.objects.filter(live=True).count() == 2
    vi, en = (NavigationMenu.objects.get(locale=locale(code)) for code in ("vi", "en"))
    assert vi.translation_key == en.translation_key
    english = nav(client.get("/en/").content.decode())
    assert 'href="/en/shop/catalogue/">Shop</a>' in english
    assert f'href="{stories.get_translation(locale("en")).url}">Stories</a>' in english
    assert "https://www.facebook.com/" in footer(client.get("/vi/").content.decode())


def test_an_editors_translation_of_a_live_menu_is_a_draft_until_published(
    client, django_user_model, stories
):
    editor = django_user_model.objects.create_user("editor", "e@example.com", "pw")
    editor.groups.add(Group.objects.get(name=COMMUNICATIONS_EDITORS))
    menu = NavigationMenu.objects.create(
        locale=locale("vi"), items=[link("Câu chuyện chè", page=stories)]
    )
    menu.save_revision().publish()
    client.force_login(editor)

    response = client.post(
        reverse(
            "simple_translation:submit_snippet_translation",
            args=("cms", "navigationmenu", menu.pk),
        ),
        {"locales": [locale("en").pk]},
    )

    assert response.status_code == 302
    english = NavigationMenu.objects.get(locale=locale("en"))
    assert english.translation_key == menu.translation_key
    assert (english.live, english.has_unpublished_changes) == (False, True)
    assert "Câu chuyện chè" not in nav(client.get("/en/").content.decode())
    english.save_revision().publish()  # what a moderator's Publish does
    assert "Câu chuyện chè" in nav(client.get("/en/").content.decode())


def test_editors_submit_menus_for_review_and_moderators_approve_them(
    client, django_user_model, stories
):
    from wagtail.models import WorkflowState

    editor = django_user_model.objects.create_user("editor", "e@example.com", "pw")
    editor.groups.add(Group.objects.get(name=COMMUNICATIONS_EDITORS))
    moderator = django_user_model.objects.create_user("mod", "m@example.com", "pw")
    moderator.groups.add(Group.objects.get(name=COMMUNICATIONS_MODERATORS))
    menu = NavigationMenu.objects.create(
        locale=locale("vi"), live=False, items=[link("Câu chuyện chè", page=stories)]
    )
    menu.save_revision(user=editor)
    for model in (NavigationMenu, FooterContent, PromoBanner):
        assert model().get_workflow().name == "Communications review"
    client.force_login(editor)
    edit = client.get(f"/cms-admin/snippets/cms/navigationmenu/edit/{menu.pk}/")
    assert 'name="action-submit"' in edit.content.decode()

    menu.get_workflow().start(menu, editor)  # what that button does
    state = WorkflowState.objects.get(object_id=str(menu.pk))
    approve = reverse(
        "wagtailsnippets_cms_navigationmenu:workflow_action",
        args=(menu.pk, "approve", state.current_task_state.pk),
    )
    client.post(approve, {})  # an editor cannot approve
    menu.refresh_from_db()
    assert not menu.live
    client.force_login(moderator)
    client.post(approve, {})

    menu.refresh_from_db()
    assert menu.live
    assert "Câu chuyện chè" in nav(client.get("/vi/").content.decode())


def test_translating_a_menu_into_a_language_that_has_one_says_so(
    client, django_user_model, stories
):
    editor = django_user_model.objects.create_user("editor", "e@example.com", "pw")
    editor.groups.add(Group.objects.get(name=COMMUNICATIONS_EDITORS))
    menu = NavigationMenu.objects.create(locale=locale("vi"), items=[])
    NavigationMenu.objects.create(locale=locale("en"), items=[])  # its own, unlinked
    client.force_login(editor)

    response = client.post(
        reverse(
            "simple_translation:submit_snippet_translation",
            args=("cms", "navigationmenu", menu.pk),
        ),
        {"locales": [locale("en").pk]},
        follow=True,
    )

    assert response.status_code == 200  # not a 500
    assert NavigationMenu.objects.filter(locale=locale("en")).count() == 1
    assert response.redirect_chain[-1][0].endswith(
        f"/translation/submit/snippet/cms/navigationmenu/{menu.pk}/"
    )
