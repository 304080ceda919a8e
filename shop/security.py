"""Security headers (Content-Security-Policy, Permissions-Policy) and the login throttle's
glue. Django's SecurityMiddleware already sends Referrer-Policy, X-Content-Type-Options
and Cross-Origin-Opener-Policy, and XFrameOptionsMiddleware X-Frame-Options; this adds
what Django 5.2 has no setting for.

The storefront's policy is enforced. Its one inline script (oscar/base.html: Oscar's
`$(function () { …onbodyload… })`) carries a per-response nonce; Oscar's few inline
event handlers (print, back links) are allowed by the hash of their exact text
('unsafe-hashes'); no other inline script runs. Styles allow 'unsafe-inline': templates,
Leaflet and localstripe set style attributes, and a style cannot run code.

Templates write `nonce="{{ request.csp_nonce }}"`, which renders a placeholder derived
from SECRET_KEY, never sent to a browser: the middleware swaps it for a fresh random
nonce in every HTML response, after any page cache (cms.cache stores whole pages), so a
cached page gets a new nonce each time it is served, and text stored by a user cannot
guess the placeholder to smuggle in a script that the swap would bless.

The admin sites (Wagtail's, Oscar's dashboard, Django's) carry inline code and editors
(rich text, TinyMCE) this policy was not checked against: they get only the parts that
cannot break a page (no plugins, no <base>, framing by this site only) enforced, and the
storefront's policy as Report-Only."""

import base64
import hashlib
import hmac
import secrets
from functools import cache
from urllib.parse import urlsplit

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Paths of the admin sites: report-only script and style rules there.
ADMIN_PREFIXES = ("/cms-admin/", "/dashboard/", "/django-admin/")

# Inline event handlers in Oscar's stock templates (and our receipt), allowed by hash.
INLINE_HANDLERS = (
    "window.print()",  # checkout/thank_you.html, outlet receipt
    "history.go(-1);return false",  # customer/wishlists/wishlists_form.html
    "window.history.go(-1);return false",  # partials/form.html
    "javascript:history.go(-1);",  # error.html, 500.html
)

# Video embeds of stories (wagtail.embeds: YouTube, Vimeo).
EMBED_FRAME_SOURCES = (
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
)
# Real Stripe.js (https://docs.stripe.com/security/guide#content-security-policy).
STRIPE_SCRIPT_SOURCES = ("https://js.stripe.com", "https://*.js.stripe.com")
STRIPE_FRAME_SOURCES = (*STRIPE_SCRIPT_SOURCES, "https://hooks.stripe.com")
STRIPE_CONNECT_SOURCES = ("https://api.stripe.com",)


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL; a `{s}` subdomain template becomes a wildcard."""
    parts = urlsplit(url.replace("{s}.", "*."))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


@cache
def nonce_placeholder() -> str:
    """What templates render as the nonce: secret (derived from SECRET_KEY), the same
    in every worker, 24 characters like the nonce that replaces it."""
    mac = hmac.new(settings.SECRET_KEY.encode(), b"ocop-csp-nonce", hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode()[:24]


def content_security_policy(*, nonce: str, frame_ancestors: str = "'none'") -> str:
    """The storefront's policy, from the settings in force (Stripe server, map tiles)."""
    if settings.STRIPE_API_BASE:  # localstripe: its stand-in Stripe.js and its API
        stripe_origin = _origin(settings.STRIPE_API_BASE)
        stripe_script = stripe_connect = (stripe_origin,)
        stripe_frame = ()
    else:
        stripe_script = STRIPE_SCRIPT_SOURCES
        stripe_connect = STRIPE_CONNECT_SOURCES
        stripe_frame = STRIPE_FRAME_SOURCES
    tiles = _origin(settings.OCOP_MAP_TILE_URL)
    directives = {
        "default-src": ["'self'"],
        "script-src": [
            "'self'",
            f"'nonce-{nonce}'",
            "'unsafe-hashes'",
            *(_hash(handler) for handler in INLINE_HANDLERS),
            *stripe_script,
        ],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *([tiles] if tiles else [])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", *stripe_connect],
        "frame-src": ["'self'", *EMBED_FRAME_SOURCES, *stripe_frame],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": [frame_ancestors],
    }
    return "; ".join(
        f"{name} {' '.join(values)}" for name, values in directives.items()
    )


# Enforced on the admin sites: nothing there needs plugins, <base> or foreign framing.
ADMIN_ENFORCED_POLICY = "object-src 'none'; base-uri 'self'; frame-ancestors 'self'"

# Features the site uses: geolocation for "near me" in the store locator, payment for
# Stripe's wallets. Everything else that can reach the person's devices is off.
PERMISSIONS_POLICY = (
    'geolocation=(self), payment=(self "https://js.stripe.com"), camera=(), '
    "microphone=(), usb=(), serial=(), bluetooth=(), hid=(), midi=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), "
    "browsing-topics=()"
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy (see the module docstring) and Permissions-Policy on every
    response; the nonce placeholder swapped for a fresh nonce in HTML."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = nonce_placeholder()
        response = self.get_response(request)
        nonce = self._swap_nonce(response)
        if request.path_info.startswith(ADMIN_PREFIXES):
            response.headers.setdefault(
                "Content-Security-Policy", ADMIN_ENFORCED_POLICY
            )
            response.headers.setdefault(
                "Content-Security-Policy-Report-Only",
                content_security_policy(nonce=nonce, frame_ancestors="'self'"),
            )
        else:
            response.headers.setdefault(
                "Content-Security-Policy", content_security_policy(nonce=nonce)
            )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    @staticmethod
    def _swap_nonce(response: HttpResponse) -> str:
        nonce = secrets.token_urlsafe(18)  # 24 characters
        if response.streaming or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            return nonce
        placeholder = nonce_placeholder().encode()
        if placeholder in response.content:
            response.content = response.content.replace(placeholder, nonce.encode())
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return nonce


def client_ip(request: HttpRequest) -> str | None:
    """The address the login throttle counts attempts by. Behind N reverse proxies
    (OCOP_TRUSTED_PROXY_COUNT), the one the outermost of ours saw in X-Forwarded-For
    (entries to its left are the client's to forge); else the connection's address."""
    count = getattr(settings, "OCOP_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first of AUTHENTICATION_BACKENDS: a locked-out
    username and address is refused before any backend checks the password.

    Every login form passes the request to authenticate(). Calls without one are not a
    form someone can hammer: Oscar logs a new registrant in that way with the password
    they have just chosen (RegisterUserMixin.register_user), where stock Axes would
    raise and fail the registration."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def login_username(request, credentials: dict) -> str:
    """The user name axes counts failures under: as the backends look it up
    (Oscar's EmailBackend matches emails case-insensitively)."""
    return (credentials or {}).get("username", "").strip().lower()
