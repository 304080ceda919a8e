"""Security headers on every response: an enforced Content-Security-Policy with a fresh
nonce on the storefront, report-only on the admin sites, and the others."""

import re

import pytest

from shop.security import nonce_placeholder

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-([A-Za-z0-9_-]+)'")


def policy(response, header="Content-Security-Policy") -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (d.split() for d in response[header].split(";"))
    }


def test_storefront_pages_enforce_a_strict_policy(client, home_pages, product):
    response = client.get(product.get_absolute_url())

    csp = policy(response)
    assert response.status_code == 200
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert "Content-Security-Policy-Report-Only" not in response


def test_the_inline_script_gets_a_fresh_nonce_and_the_placeholder_never_leaves(
    client, home_pages
):
    first, second = client.get("/vi/"), client.get("/vi/")

    nonces = [
        NONCE.search(r["Content-Security-Policy"]).group(1) for r in (first, second)
    ]
    assert nonces[0] != nonces[1]
    for response, nonce in zip((first, second), nonces, strict=True):
        body = response.content.decode()
        assert f'<script nonce="{nonce}">' in body
        assert nonce_placeholder() not in body
        assert "<script>" not in body  # no inline script without the nonce


def test_map_tiles_and_stripe_are_allowed_where_they_come_from(
    client, home_pages, settings
):
    settings.OCOP_MAP_TILE_URL = "https://{s}.tiles.example/{z}/{x}/{y}.png"
    settings.STRIPE_API_BASE = ""

    csp = policy(client.get("/vi/"))

    assert "https://*.tiles.example" in csp["img-src"]
    assert "https://js.stripe.com" in csp["script-src"]
    assert "https://api.stripe.com" in csp["connect-src"]


def test_localstripe_replaces_stripe_in_the_policy(client, home_pages, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:8420"

    csp = policy(client.get("/vi/"))

    assert "http://127.0.0.1:8420" in csp["script-src"]
    assert "http://127.0.0.1:8420" in csp["connect-src"]
    assert "https://js.stripe.com" not in csp["script-src"]


@pytest.mark.parametrize(
    "path", ["/cms-admin/login/", "/dashboard/login/", "/django-admin/login/"]
)
def test_admin_sites_report_the_strict_policy_and_enforce_the_safe_part(client, path):
    response = client.get(path)

    assert response.status_code == 200
    enforced = policy(response)
    assert enforced["object-src"] == ["'none'"]
    assert enforced["frame-ancestors"] == ["'self'"]  # Wagtail's preview frames pages
    report_only = policy(response, "Content-Security-Policy-Report-Only")
    assert report_only["default-src"] == ["'self'"]


@pytest.mark.parametrize("path", ["/vi/", "/healthz", "/api/v1/", "/cms-admin/login/"])
def test_every_response_carries_the_other_security_headers(client, home_pages, path):
    response = client.get(path)

    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "geolocation=(self)" in response["Permissions-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "Content-Security-Policy" in response


def test_a_404_is_covered_too(client, home_pages):
    response = client.get("/vi/no-such-page/")

    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_page_served_from_the_page_cache_gets_its_own_nonce(
    client, home_pages, settings
):
    """cms.cache keeps whole rendered pages: they hold the placeholder, not a nonce."""
    settings.CMS_PAGE_CACHE_SECONDS = 60

    responses = [client.get("/en/"), client.get("/en/")]

    assert responses[1].get("X-Page-Cache") == "hit"
    nonces = [NONCE.search(r["Content-Security-Policy"]).group(1) for r in responses]
    assert nonces[0] != nonces[1]
    for response, nonce in zip(responses, nonces, strict=True):
        assert f'<script nonce="{nonce}">' in response.content.decode()
