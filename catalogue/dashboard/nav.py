"""Dashboard menu access for pages that are not Oscar's.

Oscar's default access function only knows the URLs of Oscar's own dashboard apps (it
raises KeyError on any other, which breaks the whole menu), so settings point
OSCAR_DASHBOARD_DEFAULT_ACCESS_FUNCTION here: Oscar's URLs keep Oscar's rules, ours
are judged by the permissions their views require."""

from django.urls import resolve, reverse
from oscar.core.loading import get_class


def default_access_fn(user, url_name, url_args=None, url_kwargs=None) -> bool:
    if url_name is None:  # a heading: shown when one of its children is
        return True
    match = resolve(reverse(url_name, args=url_args, kwargs=url_kwargs))
    if match.namespace == "dashboard":
        oscar_access_fn = get_class("dashboard.nav", "default_access_fn")
        return oscar_access_fn(user, url_name, url_args, url_kwargs)
    view_class = getattr(match.func, "view_class", None)
    required = getattr(view_class, "permission_required", None)
    if required is None:
        # A page that declares no permission is shown to staff only.
        return user.is_active and user.is_staff
    if isinstance(required, str):
        required = (required,)
    return user.is_active and user.has_perms(required)
