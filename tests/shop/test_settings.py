import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-for-tests-only-" + "x" * 40
STRIPE = {
    "STRIPE_SECRET_KEY": "sk_test_prod_check",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_prod_check",
    "STRIPE_WEBHOOK_SECRET": "whsec_prod_check",
}


def run_with_production_settings(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "STRIPE_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "shop.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_with_production_settings("check", DJANGO_ALLOWED_HOSTS="shop.example")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_the_deployment_checks_without_warnings():
    result = run_with_production_settings(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_ALLOWED_HOSTS="shop.example", **STRIPE,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_the_demos_stripe_secrets():
    """Anyone can read the demo's webhook secret, so anyone could forge a payment."""
    for name in STRIPE:
        result = run_with_production_settings(
            "check", DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_ALLOWED_HOSTS="shop.example",
            **{**STRIPE, name: ""},
        )  # fmt: skip

        assert result.returncode != 0
        assert f"{name} is not set" in result.stderr


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    # given the application's database connection
    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's; SQLite compiles nothing")

    # when asked for its JIT setting
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        setting = cursor.fetchone()[0]

    # then it is off (shop/settings/base.py: short statements, misestimated costs)
    assert setting == "off"
