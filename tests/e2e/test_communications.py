"""Communications staff in a real browser (Wagtail's admin): an editor writes a
bilingual tea-trail story with a product and the outlet that sells it, schedules it
and submits it for review; a moderator approves; it goes live when the
scheduled-publishing beat task runs at the scheduled time; a buyer goes from the story
to the basket in two clicks."""

import datetime as dt
from importlib import import_module

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import Locale, WorkflowState

from cms import demo as cms_demo
from cms.models import StoryIndexPage, TourismStoryPage
from cms.tasks import pages_publish_scheduled_task
from search.outbox import outbox_drain_all
from shop import roles
from tests.cms import pages
from tests.e2e.conftest import screenshot
from tests.factories import create_product
from tests.shop.orders import outlet, stocked

PASSWORD = "secret-pass-123"
TITLE_VI = "Con đường chè Tân Cương mùa thu"
TITLE_EN = "The Tan Cuong tea trail in autumn"


def staff(name: str, group: str):
    user = get_user_model().objects.create_user(name, f"{name}@ocop.example", PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def admin_page(open_page):
    """Wagtail's admin in English (its Vietnamese catalogue is incomplete)."""
    return open_page(viewport={"width": 1280, "height": 1000})


@pytest.fixture
def buyer_page(open_page):
    return open_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")


def review_set_up() -> None:
    """The home pages, and what the data migrations give them: the review workflow on
    the tree and the groups' page permissions (a live-server test's flush emptied them,
    and they need the root page, which the home pages' seed makes again)."""
    from django.apps import apps

    cms_demo.seed(seed=42)
    import_module("cms.migrations.0004_review_workflow").workflow_create(apps, None)
    import_module("cms.migrations.0009_site_chrome_review").workflow_assign(apps, None)
    roles.roles_sync(apps)


def admin_login(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/cms-admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_password) [type=submit]").click()
    page.wait_for_url(f"{base}/cms-admin/")


def block_add(page, label: str, query: str) -> None:
    """Add a block to the story's body and pick its item in the chooser modal."""
    body = page.locator("[data-contentpath=body]")
    body.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name=label).click()
    # The new block's chooser: a chosen one hides its "choose" button.
    body.locator("button.chooser__choose-button:visible").last.click()
    modal = page.locator(".modal:visible")
    modal.locator("#id_q").fill(query)
    modal.locator("a[data-chooser-modal-choice]", has_text=query).first.click()
    modal.wait_for(state="hidden")


def submit_for_review(page) -> None:
    assert page.locator("button[name=action-publish]").count() == 0  # editors can't
    page.locator(".w-dropdown-button .w-dropdown__toggle").click()
    page.locator("button[name=action-submit]").click()
    page.wait_for_load_state()


def write_story(page, base, stories, product, shop, go_live: dt.datetime) -> None:
    """The editor writes the Vietnamese story, schedules it, saves and submits it."""
    page.goto(f"{base}/cms-admin/pages/add/cms/tourismstorypage/{stories.pk}/")
    page.fill("#id_title", TITLE_VI)
    page.fill("#id_intro", "Một ngày trên đồi chè Tân Cương.")
    block_add(page, "Products", product.title)
    block_add(page, "Buy it here", shop.code)
    page.locator('[data-side-panel-toggle="status"]').click()
    page.get_by_role("button", name="Set schedule").click()
    page.fill("#id_go_live_at", timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"))
    # Enter, not a click: the date picker's calendar lies over the button.
    dialog = page.locator("#schedule-publishing-dialog")
    dialog.get_by_role("button", name="Save schedule").press("Enter")
    page.wait_for_url("**/edit/")
    submit_for_review(page)


def translate_story(page, base, story) -> None:
    """The editor translates it (an English draft copy), writes the English text and
    submits that too."""
    page.goto(f"{base}/cms-admin/translation/submit/page/{story.pk}/")
    page.get_by_label("English").check()
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/edit/")
    page.fill("#id_title", TITLE_EN)
    page.fill("#id_intro", "A day on the Tan Cuong tea hills.")
    page.get_by_role("tab", name="Promote").click()
    page.fill("#id_slug", "tan-cuong-tea-trail-autumn")
    page.get_by_role("tab", name="Content").click()
    submit_for_review(page)


def approve_all(page, *titles) -> None:
    """The moderator approves each story from "Awaiting your review"."""
    for title in titles:
        row = page.locator("tr", has_text=title)
        row.locator(".w-dropdown__toggle").click()
        row.get_by_role("button", name="Approve", exact=True).click()
        row.wait_for(state="detached")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_editors_bilingual_story_goes_live_after_review_and_sells_in_two_clicks(
    live_server, admin_page, buyer_page, reference_data
):
    review_set_up()
    stories = pages.index(StoryIndexPage, "stories", "Câu chuyện")
    pages.translate(stories)
    shop = outlet("tc-story", name_vi="Điểm bán chè Tân Cương")
    tea = create_product(num_in_stock=None, title="Trà móc câu Tân Cương đặc biệt")
    stocked(shop, tea, 6)
    outbox_drain_all()
    editor = staff("editor", roles.COMMUNICATIONS_EDITORS)
    moderator = staff("moderator", roles.COMMUNICATIONS_MODERATORS)
    go_live = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=1)
    base = live_server.url
    page = admin_page

    admin_login(page, base, editor)
    try:
        write_story(page, base, stories, tea, shop, go_live)
        story = TourismStoryPage.objects.get(locale__language_code="vi", title=TITLE_VI)
        translate_story(page, base, story)
    except Exception:
        screenshot(page, "communications-editor-failed")  # where the admin was
        raise
    english = story.get_translation(Locale.objects.get(language_code="en"))

    assert story.slug == "con-duong-che-tan-cuong-mua-thu"  # folded, not "con-djng-…"
    english.refresh_from_db()
    assert english.title == TITLE_EN
    assert not story.live and not english.live
    states = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
    assert {int(state.object_id) for state in states} == {story.pk, english.pk}

    admin_login(page, base, moderator)
    approve_all(page, TITLE_EN, TITLE_VI)

    story.refresh_from_db()
    english.refresh_from_db()
    assert not story.live and not english.live  # approved for the scheduled time
    assert buyer_page.goto(base + story.url).status == 404

    with freeze_time(go_live - dt.timedelta(minutes=1)):
        pages_publish_scheduled_task()
    assert not TourismStoryPage.objects.get(pk=story.pk).live
    with freeze_time(go_live + dt.timedelta(minutes=1)):
        pages_publish_scheduled_task()
    story.refresh_from_db()
    english.refresh_from_db()
    assert story.live and english.live

    page = buyer_page
    assert page.goto(base + english.url).status == 200
    assert page.locator("h1").inner_text() == TITLE_EN
    page.goto(base + story.url)
    assert page.locator("h1").inner_text() == TITLE_VI
    products = page.locator(".story-products")
    assert tea.title in products.inner_text()
    assert shop.name_vi in page.content()  # "buy it here"

    # The add posts and comes back to the story: the basket link is clicked on the
    # page it returns to, not on the one being left (a race on a loaded machine).
    with page.expect_navigation():
        products.locator("form[action*='/basket/add/'] [type=submit]").first.click()
    page.locator("a.site-basket").click()  # the second click

    page.wait_for_url("**/basket/")
    assert tea.title in page.locator("#content_inner, main").first.inner_text()
    screenshot(page, "communications-story-to-basket")
