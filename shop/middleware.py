from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

# Paths outside the language prefix: their 404s are real, not a missing /vi/ prefix.
LANGUAGE_NEUTRAL_PREFIXES = ("/t/", "/api/", "/healthz", "/dashboard/", "/cms-admin/")


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware redirects any 404 to the same path under /vi/ when a
    prefixed route would match it; Wagtail's catch-all matches everything, so unknown
    trace codes or API ids would bounce to a second 404. Neutral paths answer it."""

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(
            LANGUAGE_NEUTRAL_PREFIXES
        ):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)
