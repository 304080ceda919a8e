"""Only the Stripe webhook is exempt from CSRF: walk the whole URLconf.

Allowed besides it, by rule rather than by name: Django REST framework views. DRF's
as_view() wraps every view in csrf_exempt, then enforces CSRF itself in
SessionAuthentication, the only way a browser's cookies authenticate a request. Such a
view passes if it accepts no unsafe method (our public API and the outlet dashboard's
JSON are GET only), or if session authentication is the only way in (Wagtail's admin
API: its page actions are POSTs, refused without the CSRF token). A DRF view that took
an unsafe method with Basic authentication (which browsers also send by themselves)
would fail here."""

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authentication import SessionAuthentication
from rest_framework.views import APIView

from shop.payment.views import stripe_webhook

SAFE_METHODS = {"get", "head", "options", "trace"}


def url_patterns(patterns=None, prefix=""):
    """(route, pattern) for every URL pattern, through every include()."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern))
        else:
            assert isinstance(entry, URLPattern)
            yield prefix + str(entry.pattern), entry


def accepted_methods(callback) -> set[str]:
    if getattr(callback, "actions", None):  # a viewset's route: method -> action
        return set(callback.actions)
    view_class = callback.cls
    return {m for m in view_class.http_method_names if hasattr(view_class, m)}


def csrf_is_enforced_by_drf(callback) -> bool:
    view_class = getattr(callback, "cls", None)
    if view_class is None or not issubclass(view_class, APIView):
        return False
    unsafe = accepted_methods(callback) - SAFE_METHODS
    if not unsafe:
        return True
    auth = view_class().get_authenticators()
    return bool(auth) and all(isinstance(a, SessionAuthentication) for a in auth)


def test_only_the_stripe_webhook_is_exempt_from_csrf():
    exempt = [
        (route, pattern.callback)
        for route, pattern in url_patterns()
        if getattr(pattern.callback, "csrf_exempt", False)
    ]
    unexplained = [
        route
        for route, callback in exempt
        if callback is not stripe_webhook and not csrf_is_enforced_by_drf(callback)
    ]

    assert any(callback is stripe_webhook for _route, callback in exempt)
    assert unexplained == []


def test_the_walk_sees_the_drf_views_it_excuses():
    """Guard against a walk that finds nothing: the API and Wagtail's admin API are
    there, and a DRF view taking POST with Basic auth would not be excused."""
    from rest_framework.authentication import BasicAuthentication

    routes = {route for route, _pattern in url_patterns()}
    assert "api/v1/products/" in routes
    assert any(route.startswith("cms-admin/api/") for route in routes)

    class Writable(APIView):
        authentication_classes = [SessionAuthentication, BasicAuthentication]

        def post(self, request):
            raise AssertionError

    assert not csrf_is_enforced_by_drf(Writable.as_view())
