"""Login throttling (django-axes) on every login form: the storefront's, Oscar's
dashboard, Wagtail's admin and Django's admin. The fifth failure locks that username
from that address; the sixth attempt is refused even with the right password."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


def customer_login(client, user, password, **extra):
    return client.post(
        reverse("customer:login"),
        {"login-username": user.email, "login-password": password, "login_submit": "1"},
        **extra,
    )


def admin_login(path):
    def login(client, user, password, **extra):
        return client.post(
            path, {"username": user.username, "password": password}, **extra
        )

    return login


FORMS = {
    "storefront": customer_login,
    "dashboard": admin_login("/dashboard/login/"),
    "cms-admin": admin_login("/cms-admin/login/"),
    "django-admin": admin_login("/django-admin/login/"),
}


@pytest.fixture
def staff():
    return UserFactory(is_staff=True, is_superuser=True)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("form", FORMS)
def test_a_good_login_works_before_the_limit(client, staff, form):
    login = FORMS[form]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, staff, "wrong").status_code == 200

    response = login(client, staff, PASSWORD)

    assert response.status_code == 302
    assert logged_in(client)


@pytest.mark.parametrize("form", FORMS)
def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, staff, form):
    login = FORMS[form]
    answers = [login(client, staff, "wrong").status_code for _ in range(5)]

    response = login(client, staff, PASSWORD)

    assert answers[:4] == [200] * 4  # the form again, with its error
    assert answers[4] == 429  # the fifth failure locks
    assert response.status_code == 429
    assert not logged_in(client)


def test_a_lockout_holds_across_forms_and_not_for_another_address(client, staff):
    for _ in range(5):
        FORMS["cms-admin"](client, staff, "wrong")

    assert FORMS["dashboard"](client, staff, PASSWORD).status_code == 429
    # By username and address together: someone guessing elsewhere cannot lock the
    # real person out.
    elsewhere = FORMS["dashboard"](client, staff, PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert elsewhere.status_code == 302


def test_registration_still_logs_the_new_customer_in(client):
    """Oscar authenticates a new registrant without the request; the throttle lets
    that through (it is not a form anyone can hammer)."""
    response = client.post(
        reverse("customer:register"),
        {"email": "moi@example.com", "password1": "a-long-pass-phrase-42",
         "password2": "a-long-pass-phrase-42"},
    )  # fmt: skip

    assert response.status_code == 302
    assert logged_in(client)
    assert get_user_model().objects.filter(email="moi@example.com").exists()


def test_changing_the_case_of_the_email_does_not_reset_the_count(client, staff):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        variant = staff.email.upper() if attempt % 2 else staff.email.title()
        client.post(
            reverse("customer:login"),
            {"login-username": variant, "login-password": "wrong", "login_submit": "1"},
        )

    response = customer_login(client, staff, PASSWORD)

    assert response.status_code == 429
    assert not logged_in(client)
