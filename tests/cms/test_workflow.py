"""Review before publishing: communications editors draft and submit, moderators
approve and publish; neither reaches the shop's dashboard or outlet stock; scheduled
publishing and unpublishing happen when the beat task runs."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from freezegun import freeze_time
from wagtail.models import Locale, Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.models import NewsIndexPage, NewsPage
from cms.tasks import pages_publish_scheduled_task
from shop import roles
from tests.cms import pages

pytestmark = pytest.mark.django_db


def _staff(name: str, group: str):
    user = get_user_model().objects.create_user(
        name, f"{name}@ocop.example", "secret-pass-123"
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(home_pages):
    return _staff("editor", roles.COMMUNICATIONS_EDITORS)


@pytest.fixture
def moderator(home_pages):
    return _staff("moderator", roles.COMMUNICATIONS_MODERATORS)


@pytest.fixture
def news_index(home_pages):
    return pages.index(NewsIndexPage, "news", "Tin tức")


def _news_form(**fields) -> dict:
    data = {
        "title": "Mở đăng ký Hội chợ OCOP",
        "slug": "ocop-fair-registration",
        "date": timezone.localdate().isoformat(),
        "intro": "Các chủ thể OCOP đăng ký gian hàng trước ngày 30.",
        "body": streamfield([]),
        "comments": inline_formset([]),
        **fields,
    }
    return nested_form_data(data)


def _add_news(client, parent, action: str):
    return client.post(
        reverse("wagtailadmin_pages:add", args=("cms", "newspage", parent.pk)),
        {**_news_form(), f"action-{action}": "True"},
    )


def test_the_review_workflow_covers_both_languages_with_moderators_approving(
    home_pages,
):
    for language in ("vi", "en"):
        workflow = pages.home(language).get_workflow()
        assert workflow is not None and workflow.name == "Communications review"
        [task] = [t.specific for t in workflow.tasks]
        assert [g.name for g in task.groups.all()] == [roles.COMMUNICATIONS_MODERATORS]


def test_editors_may_edit_but_not_publish_moderators_may_publish(
    editor, moderator, news_index
):
    page = pages.news(news_index)

    editor_perms = page.permissions_for_user(editor)
    moderator_perms = page.permissions_for_user(moderator)

    assert editor_perms.can_edit()
    assert not editor_perms.can_publish()
    assert not editor_perms.can_unpublish()
    assert news_index.permissions_for_user(editor).can_add_subpage()
    assert moderator_perms.can_edit() and moderator_perms.can_publish()
    assert editor.has_perm("wagtailadmin.access_admin")
    assert editor.has_perm("wagtailimages.add_image")
    assert editor.has_perm("wagtaildocs.add_document")


def test_an_editor_asking_to_publish_gets_a_draft_not_a_live_page(
    client, editor, news_index
):
    client.force_login(editor)

    response = _add_news(client, news_index, "publish")

    assert response.status_code in (200, 302)
    page = NewsPage.objects.get(slug="ocop-fair-registration")
    assert not page.live
    assert page.first_published_at is None


def test_an_editor_submits_a_page_for_moderation_and_a_moderator_approves_it(
    client, editor, moderator, news_index
):
    client.force_login(editor)

    response = _add_news(client, news_index, "submit")

    assert response.status_code == 302
    page = NewsPage.objects.get(slug="ocop-fair-registration")
    assert not page.live
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Communications moderators approval"
    assert client.get("/vi/news/ocop-fair-registration/").status_code == 404
    # The editor cannot approve their own submission.
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(page.pk, "approve", state.current_task_state.pk),
    )
    client.post(approve_url, {})
    page.refresh_from_db()
    assert not page.live

    client.force_login(moderator)
    response = client.post(approve_url, {})

    assert response.status_code in (200, 302)
    page.refresh_from_db()
    state.refresh_from_db()
    assert page.live
    assert state.status == WorkflowState.STATUS_APPROVED
    client.logout()
    assert client.get(page.get_url()).status_code == 200


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/dashboard/", 403),
        ("/dashboard/catalogue/", 403),
        ("/dashboard/orders/", 403),
        ("/dashboard/partners/", 403),
        ("/dashboard/outlets/", 403),  # outlet stock
        ("/dashboard/ocop/producers/", 403),
        ("/django-admin/", 302),  # to its login: they are not Django staff
    ],
)
def test_communications_staff_cannot_reach_the_shop_dashboard_or_outlet_stock(
    client, editor, moderator, path, status
):
    for user in (editor, moderator):
        client.force_login(user)

        response = client.get(path)

        assert response.status_code == status, (user, path)
        if status == 302:
            assert response["Location"].startswith("/django-admin/login/")


def test_communications_staff_reach_the_cms_admin(client, editor, moderator):
    for user in (editor, moderator):
        client.force_login(user)

        assert client.get("/cms-admin/").status_code == 200


# --- Scheduled publishing ----------------------------------------------------------


def test_a_page_scheduled_to_go_live_goes_live_when_the_beat_task_runs(news_index):
    go_live = timezone.now() + dt.timedelta(hours=2)
    page = NewsPage(title="Lịch hội chợ", slug="fair-schedule", go_live_at=go_live)
    news_index.add_child(instance=page)
    page.save_revision().publish()  # approved, scheduled: not live yet
    page.refresh_from_db()
    assert not page.live
    assert page.status_string == "scheduled"

    pages_publish_scheduled_task.delay()  # not due yet: nothing happens
    page.refresh_from_db()
    assert not page.live

    with freeze_time(go_live + dt.timedelta(minutes=1)):
        pages_publish_scheduled_task.delay()

    page.refresh_from_db()
    assert page.live
    assert Page.objects.live().filter(pk=page.pk).exists()


def test_a_page_past_its_expiry_is_unpublished_when_the_beat_task_runs(news_index):
    expire = timezone.now() + dt.timedelta(days=1)
    page = pages.news(news_index)
    page.expire_at = expire
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.live

    with freeze_time(expire + dt.timedelta(minutes=1)):
        pages_publish_scheduled_task.delay()
        pages_publish_scheduled_task.delay()  # running again changes nothing

    page.refresh_from_db()
    assert not page.live
    assert page.expired


def test_the_beat_task_has_the_name_the_schedule_uses():
    assert pages_publish_scheduled_task.name == "cms.tasks.pages_publish_scheduled_task"


def test_an_editor_translates_a_page_into_an_english_draft_for_review(
    client, editor, news_index
):
    pages.translate(news_index)
    page = pages.news(news_index)
    client.force_login(editor)

    response = client.post(
        reverse("simple_translation:submit_page_translation", args=(page.pk,)),
        {"locales": [Locale.objects.get(language_code="en").pk]},
    )

    assert response.status_code == 302
    english = page.get_translation(Locale.objects.get(language_code="en"))
    assert not english.live
    assert english.get_workflow().name == "Communications review"
    assert not english.permissions_for_user(editor).can_publish()


def _image(owner):
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.images import get_image_model

    data = BytesIO()
    Image.new("RGB", (8, 8), "green").save(data, "PNG")
    return get_image_model().objects.create(
        title="Đồi chè", file=ImageFile(data, name="tea.png"), uploaded_by_user=owner
    )


def test_editors_change_only_their_own_uploads_moderators_any(editor, moderator):
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    permission_policy = policy_registry.get_by_type(get_image_model())
    theirs, own = _image(moderator), _image(editor)

    assert not permission_policy.user_has_permission_for_instance(
        editor, "change", theirs
    )  # on a live page it would change at once, past review
    assert permission_policy.user_has_permission_for_instance(editor, "change", own)
    assert permission_policy.user_has_permission_for_instance(
        moderator, "change", theirs
    )
    assert not editor.has_perm("wagtaildocs.change_document")
    assert moderator.has_perm("wagtaildocs.change_document")


def test_translating_a_page_whose_parent_is_not_translated_says_so(
    client, editor, news_index
):
    page = pages.news(news_index)  # the news index has no English translation
    client.force_login(editor)
    url = reverse("simple_translation:submit_page_translation", args=(page.pk,))

    response = client.post(
        url, {"locales": [Locale.objects.get(language_code="en").pk]}, follow=True
    )

    assert response.status_code == 200
    with translation.override("vi"):  # the admin's language here
        message = gettext(
            "Translate the parent page into that language first: %(parent)s"
        ) % {"parent": news_index.title}
    assert message in response.content.decode()
    assert not NewsPage.objects.filter(locale__language_code="en").exists()


def test_slugs_fold_vietnamese_even_without_the_admin_script():
    from cms.models import TourismStoryPage
    from cms.wagtail_hooks import FoldedSlugField

    form_class = TourismStoryPage.get_edit_handler().get_form_class()
    field = form_class.base_fields["slug"]

    assert isinstance(field, FoldedSlugField)
    assert field.clean("Con-Đường-Chè-Tân-Cương") == "con-duong-che-tan-cuong"
    with pytest.raises(ValidationError):
        field.clean("con đường chè")  # spaces are not a slug
