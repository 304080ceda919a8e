"""`manage.py check --deploy` passes without a warning on the production settings, in a
process of its own with the environment CI gives it (.ci/run)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_the_deployment_checks():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shop.settings.production",
        "DJANGO_SECRET_KEY": "test-a-long-random-looking-secret-for-the-deploy-check-only-42",
        "DJANGO_ALLOWED_HOSTS": "ocop.example",
        "STRIPE_SECRET_KEY": "sk_test_ci",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_ci",
        "STRIPE_WEBHOOK_SECRET": "whsec_ci",
    }
    for name in (
        "DJANGO_SECURE_SSL_REDIRECT",
        "DJANGO_SECURE_HSTS_SECONDS",
        "DJANGO_DEBUG",
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for this process only
    ):
        env.pop(name, None)

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
