"""The public JSON API (read-only open data); each app adds endpoints to api_urls."""

from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView


class ApiRootView(APIView):
    """Lists the API's endpoints."""

    def get(self, request):
        return Response(
            {
                "version": "v1",
                "endpoints": {
                    "products": reverse("api:product-list", request=request),
                    "products_csv": reverse("api:product-export", request=request),
                    "producers": reverse("api:producer-list", request=request),
                    "certificates": reverse("api:certificate-list", request=request),
                    "regions": reverse("api:region-list", request=request),
                    "stats": reverse("api:stats", request=request),
                    "sales_points": reverse("api:sales-point-list", request=request),
                    "search": reverse("api:search", request=request),
                    "health": reverse("healthz", request=request),
                },
            }
        )
