"""Absolute links to this site, for what leaves it: share tags, feeds, sitemaps, QR
stamps, calendar files and emails. One rule for all: the canonical public address
(OCOP_PUBLIC_BASE_URL) when it is set, as what is printed or saved outlives the host
it came from; else the address of the request; else, with no request (emails),
WAGTAILADMIN_BASE_URL, which is always set."""

from django.conf import settings
from django.http import HttpRequest


def public_base_url() -> str:
    """Where the site is reachable from outside, without a trailing slash, when
    there is no request to ask."""
    base = getattr(settings, "OCOP_PUBLIC_BASE_URL", "") or getattr(
        settings, "WAGTAILADMIN_BASE_URL", ""
    )
    return base.rstrip("/")


def absolute_url(request: HttpRequest | None, path: str) -> str:
    """`path` (already absolute: unchanged) on the public address, else on the
    request's, else on public_base_url()."""
    if path.startswith(("http://", "https://")):
        return path
    base = getattr(settings, "OCOP_PUBLIC_BASE_URL", "").rstrip("/")
    if base:
        return f"{base}{path}"
    if request is not None:
        return request.build_absolute_uri(path)
    return public_base_url() + path
