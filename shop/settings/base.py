"""Settings shared by every environment; all that varies comes from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403  (Oscar's defaults first, ours override them)
from wagtail.embeds import oembed_providers

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Oscar's migrations read this, so it must be set before the first migrate.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Our apps come before Oscar's and Wagtail's so our templates override theirs.
    "shop.apps.ShopConfig",
    "catalogue.apps.CatalogueConfig",
    "search.apps.SearchConfig",
    "sales_points.apps.SalesPointsConfig",
    "cms.apps.CmsConfig",
    # Oscar. The Shop config is ours: it mounts the dashboard outside the language prefix.
    "shop.config.OcopShop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "shop.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "shop.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "shop.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "shop.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "shop.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "shop.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "shop.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "js_lib_leaflet",  # Leaflet's static files for the store locator map
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.table_block",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
]

SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shop.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # shop/templates comes from APP_DIRS (shop is listed before Oscar and Wagtail);
        # listing it in DIRS too would make same-named overrides extend themselves.
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------
# SQLite in the project folder by default; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # No JIT: it pays off on long analytical queries, and a page's statements are
    # short; it starts on the planner's cost estimate, so a misestimated join
    # compiles for ~90 ms to save a few (seen on a search statement under trial).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down is a cache miss, not a 500 (shop.resilient_cache); short
            # timeouts so a Redis that hangs costs a page little.
            "BACKEND": "shop.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="ocop"),
            "OPTIONS": {
                "socket_connect_timeout": env.float(
                    "CACHE_CONNECT_TIMEOUT", default=0.5
                ),
                "socket_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work ----------------------------------------------------------
# No broker configured (the embedded default) means tasks run eagerly in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Sending never waits long for a broker that is down: tasks sent after a commit go
# through the outbox (shop.task_outbox), which keeps what the broker did not take.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float(
    "CELERY_BROKER_CONNECTION_TIMEOUT", default=2
)
# Late acknowledgement (the shop's tasks, shop.order.tasks): a worker reserves one
# message at a time, so a killed worker leaves one task to redeliver, not a batch.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged task (its worker died) to another worker after
# visibility_timeout: longer than any task runs, or a slow task would run twice.
# kombu looks for such tasks every interval × throttle seconds (100 by default); a
# short timeout (the reliability tests use a few seconds) wants them as short.
_visibility_timeout = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _visibility_timeout,
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    # A Redis that accepts but never answers must not hang a request that sends a
    # task: longer than the workers' 1 s BRPOP wait, short enough for a page.
    "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=5),
    **(
        {"unacked_restore_interval": 1, "unacked_restore_throttle": 1}
        if _visibility_timeout < 100
        else {}
    ),
}
CELERY_BEAT_SCHEDULE = {
    "certificates-mark-expired": {
        "task": "catalogue.tasks.certificates_mark_expired_task",
        "schedule": crontab(hour=0, minute=5),
    },
    "certificate-reminders": {
        "task": "catalogue.tasks.certificate_reminders_send_task",
        "schedule": crontab(hour=7, minute=0),
    },
    "low-stock-digest": {
        "task": "sales_points.tasks.low_stock_digest_send_task",
        "schedule": crontab(hour=6, minute=30),
    },
    "back-in-stock": {
        "task": "sales_points.tasks.back_in_stock_notify_task",
        "schedule": crontab(minute="*/10"),
    },
    # Wagtail's scheduled publishing and unpublishing (go_live_at / expire_at).
    "pages-publish-scheduled": {
        "task": "cms.tasks.pages_publish_scheduled_task",
        "schedule": crontab(minute="*"),
    },
    # The search outbox is drained after each commit too; this catches up after failures.
    "search-outbox-drain": {
        "task": "search.tasks.search_outbox_drain_task",
        "schedule": crontab(minute="*"),
    },
    "payment-holds-expire": {
        "task": "shop.order.tasks.holds_release_expired_task",
        "schedule": crontab(minute="*"),
    },
    # Tasks the broker could not take when their change committed (Redis was down):
    # the first tick after beat and the workers reconnect sends them.
    "task-outbox-flush": {
        "task": "shop.tasks.task_outbox_flush_task",
        "schedule": crontab(minute="*"),
    },
}
# Map tiles of the store locator (the page works as a list when they cannot load).
OCOP_MAP_TILE_URL = env(
    "OCOP_MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
OCOP_MAP_TILE_ATTRIBUTION = env(
    "OCOP_MAP_TILE_ATTRIBUTION", default="© OpenStreetMap contributors"
)
# Free units at or below this count as low stock where an outlet set no threshold.
OCOP_LOW_STOCK_THRESHOLD = env.int("OCOP_LOW_STOCK_THRESHOLD", default=5)

# --- Search -------------------------------------------------------------------
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
# The database backend keeps each query's answer (total, facet counts, the page's ids)
# this long, and only while the search documents stay the same (search.database:
# every drain of the outbox that changes one starts a new generation). On by default
# only with the shared cache (Redis): per-process caches would not hear other
# processes' drains.
SEARCH_RESULT_CACHE_SECONDS = env.int(
    "SEARCH_RESULT_CACHE_SECONDS", default=300 if REDIS_URL else 0
)
# The database backend answers from a copy of the search documents in each process
# (search.columns: numpy arrays, ~40 MiB for the national catalogue's 20,000
# products), which it keeps current with one query an answer; off, PostgreSQL or
# SQLite answer each query in one SQL statement (slower on broad texts).
SEARCH_DATABASE_COLUMNS = env.bool("SEARCH_DATABASE_COLUMNS", default=True)
# Haystack stays installed only because Oscar imports it; search/ does the work.
HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}
}

# --- Auth ---------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "customer:login"
LOGIN_REDIRECT_URL = "customer:summary"

# --- Languages and money ------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

OSCAR_DEFAULT_CURRENCY = "VND"
# VND has no minor unit: whole đồng, grouped the locale's way (150.000 ₫, ₫150,000).
OSCAR_CURRENCY_FORMAT = {"VND": {"currency_digits": True, "format_type": "standard"}}

# --- The shop -----------------------------------------------------------------
OSCAR_SHOP_NAME = "OCOP Market"
OSCAR_SHOP_TAGLINE = _("Certified OCOP products of Thai Nguyen")
OSCAR_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="OCOP Market <no-reply@ocop.local>"
)
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "line1", "line4", "country")
OSCAR_HOMEPAGE = "/"
# Order statuses (codes; labels in shop.order.statuses). Payment state is a separate
# field that only moves forward (shop.order.models.Order.PaymentState).
OSCAR_INITIAL_ORDER_STATUS = "received"
OSCAR_ORDER_STATUS_PIPELINE = {
    "pending_payment": ("received", "cancelled"),
    "received": ("ready_for_pickup", "dispatched", "cancelled"),
    "ready_for_pickup": ("collected", "cancelled"),
    "dispatched": ("delivered",),
    "collected": (),
    "delivered": (),
    "cancelled": (),
}
# Unpaid card orders hold their stock this long, then are cancelled.
OCOP_PAYMENT_HOLD_MINUTES = env.int("OCOP_PAYMENT_HOLD_MINUTES", default=30)
# Most units of one product in one order (more is refused, not silently capped).
OSCAR_MAX_BASKET_QUANTITY_THRESHOLD = 50
# Canonical public address printed in QR codes on stamps (e.g. https://ocop.example);
# empty: the address of the request.
OCOP_PUBLIC_BASE_URL = env("OCOP_PUBLIC_BASE_URL", default="")
# The province's yearly target of new products of 3 stars or more (the article: 20).
OCOP_YEARLY_TARGET = env.int("OCOP_YEARLY_TARGET", default=20)
OSCAR_SLUG_FUNCTION = "shop.text.slugify_vietnamese"


def _dashboard_user(user, *args, **kwargs) -> bool:
    """Oscar's default access check only knows its own URLs: ours say who may enter."""
    return user.is_active and (
        user.is_staff or user.has_perm("partner.dashboard_access")
    )


def _outlet_worker(user, *args, **kwargs) -> bool:
    """Staff linked to an outlet, and network managers (see sales_points.permissions)."""
    from sales_points.permissions import is_outlet_worker

    return is_outlet_worker(user)


# Oscar's menu check raises on URLs outside its own dashboard; ours judges each page by
# the permission its view requires.
OSCAR_DASHBOARD_DEFAULT_ACCESS_FUNCTION = "catalogue.dashboard.nav.default_access_fn"
OSCAR_DASHBOARD_NAVIGATION = [
    *OSCAR_DASHBOARD_NAVIGATION,
    {
        "label": _("OCOP"),
        "icon": "fas fa-certificate",
        "children": [
            {"label": _("Producers"), "url_name": "ocop-dashboard:producer-list"},
            {"label": _("Certificates"), "url_name": "ocop-dashboard:certificate-list"},
            {
                "label": _("Expiring in 90 days"),
                "url_name": "ocop-dashboard:certificate-expiring",
            },
            {
                "label": _("Expired, not renewed"),
                "url_name": "ocop-dashboard:certificate-expired",
            },
        ],
    },
    {
        "label": _("OCOP statistics"),
        "icon": "fas fa-chart-bar",
        "url_name": "ocop-stats-dashboard:statistics",
        "access_fn": _dashboard_user,
    },
    {
        "label": _("Outlets"),
        "icon": "fas fa-store",
        "url_name": "outlet-dashboard:index",
        "access_fn": _outlet_worker,
    },
    {
        "label": _("Exchange rates"),
        "icon": "fas fa-exchange-alt",
        "url_name": "currency-dashboard",
    },
]

WAGTAIL_SITE_NAME = "OCOP Market"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://localhost:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Wagtail pages are cached for anonymous visitors this long (cms/cache.py; 0 = off);
# publishing and catalogue changes invalidate them sooner.
CMS_PAGE_CACHE_SECONDS = env.int("CMS_PAGE_CACHE_SECONDS", default=600)
# Documents that can run script (html, svg, js…) are refused at upload; only PDFs
# open in the browser, everything else downloads.
WAGTAILDOCS_EXTENSIONS = [
    "pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "csv", "txt", "zip",
]  # fmt: skip
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
# Slugs in plain ASCII ("con-duong-che", not "con-đường-chè"): clean, shareable URLs.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Story videos come from YouTube or Vimeo only (their players are what the policy's
# frame-src allows); Wagtail would otherwise ask any of 80 oEmbed providers.
WAGTAILEMBEDS_FINDERS = [
    {
        "class": "wagtail.embeds.finders.oembed",
        "providers": [oembed_providers.youtube, oembed_providers.vimeo],
    }
]

# --- Payments -----------------------------------------------------------------
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="sk_test_ocop_demo")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="pk_test_ocop_demo")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="whsec_ocop_demo")
# localstripe stands in for Stripe in the demo and tests; empty means real Stripe.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")

# --- Email --------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A slow mail server must not hold a worker (and the order row it locks) for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = OSCAR_FROM_EMAIL
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Static and media ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "static_collected"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # Sessions only: DRF's default Basic authentication would let anyone try
    # passwords on every endpoint, outside the login forms' throttling.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication"
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail logs every publish and background task at INFO: too chatty for a seed.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # Oscar logs a line per stock change while checking product alerts.
        "oscar.alerts": {"level": "WARNING"},
        "stripe": {"level": "WARNING"},
    },
}

# --- Security (headers, CSP, login throttle) -------------------------------------
# Kept in one block on purpose. shop.security sends Content-Security-Policy and
# Permissions-Policy (the nonce is swapped in late, after any page cache); Django's
# SecurityMiddleware the rest. django-axes refuses a username from an address after
# AXES_FAILURE_LIMIT failed logins, on every login form (all go through authenticate()).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "shop.security.SecurityHeadersMiddleware",
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # Axes asks to be last
INSTALLED_APPS.append("axes")
AUTHENTICATION_BACKENDS.insert(0, "shop.security.LoginThrottleBackend")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The fifth failure locks that username from that address (answer 429) for the
# cool-off; by username and address together, so nobody can lock a customer out from
# elsewhere by guessing at their account.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Emails log in case-insensitively: Alice@x.vn and alice@x.vn share one counter.
AXES_USERNAME_CALLABLE = "shop.security.login_username"
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "shop.security.client_ip"
# Reverse proxies in front of Django that append to X-Forwarded-For (0: none).
OCOP_TRUSTED_PROXY_COUNT = env.int("OCOP_TRUSTED_PROXY_COUNT", default=0)
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # failures and lockouts, not startup
