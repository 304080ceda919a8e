"""The ceiling of the throughput comparison: our pages' HTML, captured from our server,
served by a Django with no apps, no middleware and no database, under the same gunicorn
settings. Run by throughput_bench.py as `gunicorn ceiling:application` with
CEILING_PAGES naming the folder of captured pages (pages.json: path -> file).
"""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import Http404, HttpResponse
from django.urls import re_path

settings.configure(
    DEBUG=False,
    SECRET_KEY="ceiling-bench-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)

FOLDER = Path(os.environ["CEILING_PAGES"])
PAGES = {
    path: (FOLDER / name).read_bytes()
    for path, name in json.loads((FOLDER / "pages.json").read_text()).items()
}


def page(request):
    try:
        return HttpResponse(
            PAGES[request.path], content_type="text/html; charset=utf-8"
        )
    except KeyError:
        raise Http404 from None


urlpatterns = [re_path(r"", page)]
application = get_wsgi_application()
