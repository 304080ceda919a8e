import pytest

from shop import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "login_path"),
    [("/dashboard/", "/dashboard/login/"), ("/cms-admin/", "/cms-admin/login/")],
)
def test_anonymous_visitors_are_sent_to_log_in(client, path, login_path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{login_path}?next={path}")


@pytest.mark.parametrize(
    "group", [roles.SALES_POINT_STAFF, roles.NETWORK_MANAGERS, roles.CATALOGUE_MANAGERS]
)
def test_shop_staff_groups_get_into_the_dashboard(client, group):
    client.force_login(UserFactory(groups=[group]))

    assert client.get("/dashboard/").status_code == 200


@pytest.mark.parametrize(
    "group", [roles.COMMUNICATIONS_EDITORS, roles.COMMUNICATIONS_MODERATORS]
)
def test_communications_groups_get_into_the_cms_admin(client, group):
    client.force_login(UserFactory(groups=[group]))

    assert client.get("/cms-admin/").status_code == 200


@pytest.mark.parametrize(
    "group", [roles.COMMUNICATIONS_EDITORS, roles.COMMUNICATIONS_MODERATORS]
)
def test_communications_groups_are_kept_out_of_the_dashboard(client, group):
    client.force_login(UserFactory(groups=[group]))

    response = client.get("/dashboard/")

    assert response.status_code in (302, 403)


@pytest.mark.parametrize("group", [roles.SALES_POINT_STAFF, roles.NETWORK_MANAGERS])
def test_shop_staff_are_kept_out_of_the_cms_admin(client, group):
    client.force_login(UserFactory(groups=[group]))

    response = client.get("/cms-admin/")

    assert response.status_code == 302
    assert "/cms-admin/login/" in response["Location"]


def test_a_buyer_gets_into_neither_back_office(client):
    client.force_login(UserFactory())

    assert client.get("/dashboard/").status_code in (302, 403)
    assert client.get("/cms-admin/").status_code == 302
    assert client.get("/django-admin/").status_code == 302


def test_only_moderators_may_publish_pages():
    from wagtail.models import GroupPagePermission

    def page_perms(group):
        return set(
            GroupPagePermission.objects.filter(group__name=group).values_list(
                "permission__codename", flat=True
            )
        )

    assert "publish_page" in page_perms(roles.COMMUNICATIONS_MODERATORS)
    assert "publish_page" not in page_perms(roles.COMMUNICATIONS_EDITORS)
    assert {"add_page", "change_page"} <= page_perms(roles.COMMUNICATIONS_EDITORS)


def test_every_role_permission_named_in_shop_roles_exists():
    from django.contrib.auth.models import Group

    for name, perms in roles.ROLE_PERMISSIONS.items():
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=name).permissions.select_related(
                "content_type"
            )
        }
        assert set(perms) == granted, name
