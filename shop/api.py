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
                "endpoints": {"health": reverse("healthz", request=request)},
            }
        )
