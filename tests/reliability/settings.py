"""Settings of the processes the reliability tests start (gunicorn, Celery workers):
the test settings, with tasks sent to a real broker, mail to the tests' SMTP server
and the page cache on, as in production."""

from shop.settings.test import *  # noqa: F403
from shop.settings.test import env

CELERY_TASK_ALWAYS_EAGER = False
# Each test's processes use a queue of their own.
CELERY_TASK_DEFAULT_QUEUE = env("RELIABILITY_QUEUE", default="celery")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = env.int("RELIABILITY_SMTP_PORT", default=25)
EMAIL_TIMEOUT = 60  # the SMTP server may hold a message on purpose
CMS_PAGE_CACHE_SECONDS = 600
