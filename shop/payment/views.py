import json
import logging

import stripe
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shop.order import services
from shop.payment import stripe_gateway

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe signs the request instead; the only CSRF-exempt view we have
@require_POST
def stripe_webhook(request):
    """Stripe's word on payments. Unsigned, wrongly signed or stale requests get 400
    and change nothing; each event is processed once."""
    try:
        event = stripe_gateway.webhook_event_construct(
            request.body, request.headers.get("Stripe-Signature")
        )
    except (ValueError, stripe.SignatureVerificationError) as error:
        logger.warning("Stripe webhook refused: %s", error)
        return JsonResponse({"detail": "Invalid payload or signature."}, status=400)
    outcome = services.stripe_event_process(json.loads(request.body))
    logger.info("Stripe event %s (%s): %s", event["id"], event["type"], outcome)
    return HttpResponse(outcome, content_type="text/plain")
