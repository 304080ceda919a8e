"""Demo logins, one per role. Printed by `make demo`; never created in production."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from sales_points.models import SalesPoint
from shop import roles

DEMO_PASSWORD = "ocop-demo-2026"
# The commune outlet the `outlet` login works at (sales_points.demo creates it).
OUTLET_LOGIN_AT = "tn-tan-cuong"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    group: str | None
    where: str
    superuser: bool = False

    @property
    def email(self) -> str:
        return f"{self.username}@ocop.local"


DEMO_LOGINS = [
    DemoLogin(
        "admin", "Administrator", None, "/django-admin/ /dashboard/ /cms-admin/", True
    ),
    DemoLogin("network", "Network manager", roles.NETWORK_MANAGERS, "/dashboard/"),
    DemoLogin(
        "catalogue", "Catalogue manager", roles.CATALOGUE_MANAGERS, "/dashboard/"
    ),
    DemoLogin("outlet", "Sales point staff", roles.SALES_POINT_STAFF, "/dashboard/"),
    DemoLogin(
        "editor", "Communications editor", roles.COMMUNICATIONS_EDITORS, "/cms-admin/"
    ),
    DemoLogin(
        "moderator",
        "Communications moderator",
        roles.COMMUNICATIONS_MODERATORS,
        "/cms-admin/",
    ),
    DemoLogin("buyer", "Buyer", None, "/vi/shop/accounts/login/"),
]


@transaction.atomic
def seed_logins() -> list[DemoLogin]:
    User = get_user_model()
    for login in DEMO_LOGINS:
        user, _ = User.objects.get_or_create(
            username=login.username, defaults={"email": login.email}
        )
        user.email = login.email
        user.first_name = login.role
        user.is_staff = login.superuser
        user.is_superuser = login.superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
        if login.group:
            user.groups.add(Group.objects.get(name=login.group))
    return DEMO_LOGINS


def outlet_login_link() -> SalesPoint | None:
    """Make the `outlet` login a user of one real commune outlet, so it sees that
    outlet's stock; None while the outlet does not exist."""
    sales_point = (
        SalesPoint.objects.filter(code=OUTLET_LOGIN_AT)
        .select_related("partner")
        .first()
    )
    user = get_user_model().objects.filter(username="outlet").first()
    if sales_point is None or user is None:
        return None
    sales_point.partner.users.add(user)
    return sales_point
