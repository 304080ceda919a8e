"""Test settings: fast hashing, mail kept in memory, everything else as configured."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media"))
# A test run must not clobber the cache keys of a demo running against the same Redis.
if REDIS_URL:
    CACHES["default"]["KEY_PREFIX"] = "ocop-test"

# Tests run tasks inline; the integration tests start a real worker against Redis and
# switch this off for their duration (tests/conftest.py: celery_worker).
CELERY_TASK_ALWAYS_EAGER = True

# Page caching is tested on its own (tests/cms/test_cache.py turns it on); elsewhere
# tests change rows with update(), which no invalidation signal hears.
CMS_PAGE_CACHE_SECONDS = 0
# Search answers too (tests/search/test_answer_cache.py turns it on).
SEARCH_RESULT_CACHE_SECONDS = 0

# WhiteNoise serves collected files in production; here Django's finders serve static.
MIDDLEWARE = [
    m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"
]
