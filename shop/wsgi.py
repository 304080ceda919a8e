import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.production")

application = get_wsgi_application()

# The database search's copy of the documents, read before the first request; then
# the connection closed, as a server that preloads the application forks after.
from django.db import connections  # noqa: E402

from search.columns import columns_warm  # noqa: E402

columns_warm()
connections.close_all()
