"""Caching of content pages for anonymous visitors, and the generation counters that
invalidate it.

What is cached: the whole rendered response of a Wagtail page (not a form page), for
anonymous visitors only, keyed by everything that can make two such responses differ:
the page and its published state, the address asked for (host, language prefix, query
string), the visitor's display currency and basket size (the header shows both), the
banner running now, today's date (certificates, campaigns and exchange rates change by
the day) and three generations. CSRF tokens (the currency selector and the
add-to-basket buttons post forms) are stored as a placeholder and filled in with the
visitor's own token when served. A visitor with messages waiting, a logged-in user, a
preview and any non-GET request always get a fresh page.

Why whole responses rather than a fragment: the expensive part of a page is its
context (live products, stars, outlets, figures), which a template fragment cache
cannot skip; and everything that differs between anonymous visitors is either in the
key or punched out (the CSRF token), so no visitor ever sees another's basket or token.

Generations are counters in the cache, bumped by cms.receivers:
  pages      any page published, unpublished, moved or deleted, a site or an image
             changed (listings, menus and links show other pages)
  catalogue  any product, stock record, stock movement, certificate, producer, outlet
             or exchange rate changed
  chrome     the menu, footer, banners or social links changed
A bump happens at once and again after the commit: a request that rendered the old
data while the transaction was open cannot leave it cached under the new number.

CMS_PAGE_CACHE_SECONDS (0 turns page caching off; the chrome is cached regardless)."""

import hashlib
import re
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.translation import get_language

PAGES, CATALOGUE, CHROME = "pages", "catalogue", "chrome"
GENERATION_NAMES = (PAGES, CATALOGUE, CHROME)
_PREFIX = "cms"
# Secret (derived from SECRET_KEY): content can never contain it by accident or
# design, so no editor's link can make the page hand out the visitor's token.
CSRF_PLACEHOLDER = (
    b"__cms_csrf_"
    + hashlib.sha256(f"cms-csrf:{settings.SECRET_KEY}".encode())
    .hexdigest()[:24]
    .encode()
    + b"__"
)
# Response headers a cached page keeps (an event's .ics is a download by name).
_KEPT_HEADERS = ("Content-Disposition", "Content-Language")
_CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
HIT_HEADER = "X-Page-Cache"


def key(*parts) -> str:
    """A short cache key from any parts (hashed: addresses may be long)."""
    digest = hashlib.md5(force_bytes(repr(parts)), usedforsecurity=False)
    return f"{_PREFIX}:{parts[0]}:{digest.hexdigest()}"


def _generation_key(name: str) -> str:
    return f"{_PREFIX}:generation:{name}"


def generations(*names: str) -> tuple:
    """The current value of each named generation, read in one round trip. One that is
    missing (first use, or evicted) starts at the clock in nanoseconds, above any value
    it can have had before, so no old entry comes back to life."""
    keys = [_generation_key(name) for name in names]
    found = cache.get_many(keys)
    values = []
    for name_key in keys:
        value = found.get(name_key)
        if value is None:
            cache.add(name_key, time.time_ns(), None)
            value = cache.get(name_key)
        values.append(value)
    return tuple(values)


def _increment(name: str) -> None:
    try:
        cache.incr(_generation_key(name))
    except ValueError:  # missing: start it afresh, above anything it was
        cache.set(_generation_key(name), time.time_ns(), None)


def generations_advance(*names: str) -> None:
    """Make entries keyed with these generations stale, now only (for callers
    outside any transaction of interest, such as the test suite's set-up)."""
    for name in names:
        _increment(name)


def generation_bump(name: str) -> None:
    """Make every entry keyed with the generation `name` stale: now, and once more
    after the current transaction commits (once per transaction and name)."""
    _increment(name)
    if not connection.in_atomic_block:
        return
    pending = [getattr(func, "cms_generation", None) for _s, func, *_r in _on_commit()]
    if name in pending:
        return

    def bump_after_commit():
        _increment(name)

    bump_after_commit.cms_generation = name
    transaction.on_commit(bump_after_commit, robust=True)


def _on_commit() -> list:
    return getattr(connection, "run_on_commit", [])


# --- Page responses --------------------------------------------------------------------


def page_cache_seconds() -> int:
    return int(getattr(settings, "CMS_PAGE_CACHE_SECONDS", 0) or 0)


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(messages.get_messages(request)) > 0


def _basket_size(request: HttpRequest) -> int:
    basket = getattr(request, "basket", None)
    return basket.num_items if basket is not None else 0


# Query parameters the content pages read (pagination, story search and tags, the
# not-translated notice); analytics tags added to shared links change nothing.
PAGE_PARAMETERS = frozenset({"page", "q", "tag", "from"})
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|zarsrc|zarsrc_\w+|_ga)$")


def _page_query(request: HttpRequest) -> str | None:
    """The query string that can change the page, sorted; None when it has other
    parameters (rendered afresh rather than cached under every variant)."""
    kept = []
    for name, values in sorted(request.GET.lists()):
        if _TRACKING.match(name):
            continue
        if name not in PAGE_PARAMETERS:
            return None
        kept.extend((name, value) for value in values)
    return urlencode(kept)


def page_response_key(page, request: HttpRequest) -> str | None:
    """The cache key of this page's response to this request, or None when it must be
    rendered afresh (see the module docstring)."""
    from cms.snippets import banner_active, site_chrome
    from shop.currency import display_currency

    if page_cache_seconds() <= 0 or request.method not in ("GET", "HEAD"):
        return None
    if getattr(request, "is_preview", False) or not getattr(page, "cache_page", True):
        return None
    if request.user.is_authenticated or _has_messages(request):
        return None
    query = _page_query(request)
    if query is None:
        return None
    banner = banner_active(site_chrome(request))
    return key(
        "page",
        page.cache_key,
        request.build_absolute_uri(request.path),
        query,
        get_language(),
        display_currency(request),
        _basket_size(request),
        banner["id"] if banner else None,
        timezone.localdate().isoformat(),
        generations(*GENERATION_NAMES),
    )


def _stored(response: HttpResponse) -> dict | None:
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or response.has_header("Set-Cookie")
    ):
        return None
    return {
        "content": _CSRF_VALUE.sub(
            rb"\g<1>" + CSRF_PLACEHOLDER + rb"\g<2>", response.content
        ),
        "content_type": response["Content-Type"],
        "headers": {h: response[h] for h in _KEPT_HEADERS if response.has_header(h)},
    }


def _served(entry: dict, request: HttpRequest) -> HttpResponse:
    content = entry["content"]
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, force_bytes(get_token(request)))
    response = HttpResponse(content, content_type=entry["content_type"])
    for header, value in entry.get("headers", {}).items():
        response[header] = value
    response[HIT_HEADER] = "hit"
    return response


def serve_cached(serve_chain):
    """An `on_serve_page` hook: answer from the cache when a page may be, else serve the
    page and keep its response once rendered."""

    def serve(page, request, args, kwargs):
        cache_key = page_response_key(page, request)
        if cache_key is None:
            return serve_chain(page, request, args, kwargs)
        entry = cache.get(cache_key)
        if entry is not None:
            return _served(entry, request)
        response = serve_chain(page, request, args, kwargs)

        def keep(rendered):
            stored = _stored(rendered)
            if stored is not None and request.method == "GET":
                cache.set(cache_key, stored, page_cache_seconds())
            rendered[HIT_HEADER] = "miss"

        if getattr(response, "is_rendered", True):
            keep(response)
        else:
            response.add_post_render_callback(keep)
        return response

    return serve
