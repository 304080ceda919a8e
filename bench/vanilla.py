"""A vanilla django-oscar project with our products, for the throughput comparison.

The project is Oscar's documented minimum ("Building your own shop": Oscar's apps and
their dependencies in INSTALLED_APPS, its middleware and context processors, its URLs
at the root), written into a temporary folder. It runs in a virtualenv of its own,
var/bench/vanilla-venv, made from PyPI with the releases of django-oscar, Django,
gunicorn and psycopg that our .venv has, plus Whoosh: Oscar's listings are Haystack
searches, and on the simple backend its docs start with they list nothing when
browsing (nor could they page 20,000 products: it loads every row). Settings are
production-like as ours: DEBUG off, persistent connections, the local-memory cache.

Its database, test_<name>_vanilla, is migrated and then given the national
catalogue's categories, product classes, products and their category links (the same
ids, titles, slugs and descriptions) copied row by row, and one stock record each at
one partner, with the price of the product's first stock record in ours; then the
Whoosh index is built (var/bench/vanilla-whoosh). Kept between runs while it holds as
many products as ours.
"""

import os
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from national import ROOT, database_url, server_url

SETTINGS = """\
from oscar.defaults import *  # noqa: F403

SECRET_KEY = "vanilla-oscar-bench-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "urls"
WSGI_APPLICATION = "wsgi.application"
SITE_ID = 1
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "oscar.apps.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "oscar.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.debug",
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.template.context_processors.i18n",
        "django.contrib.messages.context_processors.messages",
        "oscar.apps.search.context_processors.search_form",
        "oscar.apps.checkout.context_processors.checkout",
        "oscar.apps.communication.notifications.context_processors.notifications",
        "oscar.core.context_processors.metadata",
    ]},
}]
AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
HAYSTACK_CONNECTIONS = {"default": {
    "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine", "PATH": {index!r},
}}
DATABASES = {"default": {
    "ENGINE": "django.db.backends.postgresql", "NAME": {name!r}, "USER": {user!r},
    "HOST": {host!r}, "PORT": {port!r}, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True,
}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
OSCAR_DEFAULT_CURRENCY = "VND"
STATIC_URL = "/static/"
MEDIA_ROOT = {media!r}
MEDIA_URL = "/media/"
"""

URLS = """\
from django.apps import apps
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include(apps.get_app_config("oscar").urls[0])),
]
"""

WSGI = """\
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
application = get_wsgi_application()
"""

# Copied from ours: the columns the two schemas share (Oscar's, ours adds more).
VENV = ROOT / "var" / "bench" / "vanilla-venv"
INDEX = ROOT / "var" / "bench" / "vanilla-whoosh"
PYTHON = str(VENV / "bin" / "python")
GUNICORN = str(VENV / "bin" / "gunicorn")
PACKAGES = [
    *(
        f"{name}=={version(name)}"
        for name in ("django-oscar", "django", "sorl-thumbnail", "gunicorn")
    ),
    f"psycopg[binary]=={version('psycopg')}",
    "whoosh==2.7.4",
]
TABLES = [
    "catalogue_productclass",
    "catalogue_category",
    "catalogue_product",
    "catalogue_productcategory",
]


def vanilla_url() -> str:
    name = urlsplit(server_url()).path.lstrip("/")
    return database_url(f"test_{name}_vanilla")


def project(media_root: Path) -> Path:
    """The project's folder (settings, urls, wsgi), new in a temporary directory."""
    folder = Path(tempfile.mkdtemp(prefix="oscar-vanilla-"))
    parts = urlsplit(vanilla_url())
    (folder / "settings.py").write_text(
        SETTINGS.replace("{name!r}", repr(parts.path.lstrip("/")))
        .replace("{user!r}", repr(parts.username or "postgres"))
        .replace("{host!r}", repr(parts.hostname or "127.0.0.1"))
        .replace("{port!r}", repr(str(parts.port or 5432)))
        .replace("{media!r}", repr(str(media_root)))
        .replace("{index!r}", repr(str(INDEX)))
    )
    (folder / "urls.py").write_text(URLS)
    (folder / "wsgi.py").write_text(WSGI)
    return folder


def env(folder: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings",
        "PYTHONPATH": str(folder),
    }


def count(url: str) -> int:
    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            return connection.execute(
                "SELECT count(*) FROM catalogue_product"
            ).fetchone()[0]
    except (psycopg.OperationalError, psycopg.errors.UndefinedTable):
        return 0


def columns(connection, table: str) -> list[str]:
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
        " ORDER BY ordinal_position",
        (table,),
    )
    return [row[0] for row in rows]


def copy_table(source, target, table: str, select: str | None = None) -> None:
    shared = [c for c in columns(target, table) if c in columns(source, table)]
    names = ", ".join(shared)
    with (
        source.cursor().copy(
            select or f"COPY (SELECT {names} FROM {table}) TO STDOUT"
        ) as out,
        target.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as into,
    ):
        for block in out:
            into.write(block)


def load(ours: str, vanilla: str) -> None:
    """Our catalogue into vanilla Oscar's tables; one partner, a stock record each."""
    with psycopg.connect(ours) as source, psycopg.connect(vanilla) as target:
        for table in TABLES:
            copy_table(source, target, table)
        target.execute(
            "INSERT INTO partner_partner (id, code, name) VALUES (1, 'ocop', 'OCOP')"
        )
        records = source.execute(
            "SELECT DISTINCT ON (product_id) product_id, price, price_currency,"
            " num_in_stock, num_allocated FROM partner_stockrecord"
            " ORDER BY product_id, id"
        ).fetchall()
        with target.cursor().copy(
            "COPY partner_stockrecord (partner_id, product_id, partner_sku, price,"
            " price_currency, num_in_stock, num_allocated, date_created, date_updated)"
            " FROM STDIN"
        ) as into:
            for product_id, price, currency, stock, allocated in records:
                into.write_row((1, product_id, str(product_id), price, currency,
                                stock, allocated, "now", "now"))  # fmt: skip
        for table in [*TABLES, "partner_partner", "partner_stockrecord"]:
            target.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 1) FROM {table}))"
            )
        target.execute("ANALYZE")


def virtualenv() -> None:
    """var/bench/vanilla-venv with PACKAGES from PyPI (unless already)."""
    marker = VENV / ("installed-" + "-".join(PACKAGES).replace("/", "_"))
    if marker.exists():
        return
    print(
        f"Installing vanilla Oscar into {VENV.relative_to(ROOT)}: {' '.join(PACKAGES)}"
    )
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    subprocess.run([PYTHON, "-m", "pip", "install", "-q", *PACKAGES], check=True)
    marker.touch()


def vanilla(ours: str, media_root: Path) -> Path:
    """The project folder, its database migrated, loaded and indexed (unless already)."""
    virtualenv()
    folder = project(media_root)
    url = vanilla_url()
    if count(url) != count(ours) or not INDEX.exists():
        name = urlsplit(url).path.lstrip("/")
        with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        started = time.perf_counter()
        subprocess.run(
            [PYTHON, "-m", "django", "migrate", "--noinput", "-v0"],
            cwd=folder, env=env(folder), check=True,
        )  # fmt: skip
        load(ours, url)
        subprocess.run(
            [PYTHON, "-m", "django", "rebuild_index", "--noinput", "-v0"],
            cwd=folder, env=env(folder), check=True,
        )  # fmt: skip
        print(f"Built vanilla Oscar's database and index in"
              f" {time.perf_counter() - started:.0f} s")  # fmt: skip
    return folder


if __name__ == "__main__":
    from national import national

    print(vanilla(national()["url"], ROOT / "var" / "bench-media"))
