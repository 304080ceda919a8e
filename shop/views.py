from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from shop.health import run_checks


@never_cache
def healthz(request):
    """200 when every part works, else 503 naming what failed."""
    results = run_checks()
    failed = [r.name for r in results if not r.ok]
    body = {
        "status": "fail" if failed else "ok",
        "failed": failed,
        "checks": {r.name: {"ok": r.ok, "detail": r.detail} for r in results},
    }
    return JsonResponse(body, status=503 if failed else 200)
