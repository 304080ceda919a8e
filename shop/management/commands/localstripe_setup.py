import time
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Tell localstripe (the Stripe emulator at STRIPE_API_BASE) to send its signed "
        "events to our webhook, as a Stripe dashboard endpoint would."
    )

    def add_arguments(self, parser):
        parser.add_argument("--site", default="http://127.0.0.1:8000")
        parser.add_argument("--wait", type=float, default=20, help="seconds")

    def handle(self, *args, site: str, wait: float, **options):
        base = settings.STRIPE_API_BASE
        if not base:
            raise CommandError(
                "STRIPE_API_BASE is empty: this is for localstripe only."
            )
        data = urllib.parse.urlencode(
            {
                "url": f"{site.rstrip('/')}/payments/stripe/webhook/",
                "secret": settings.STRIPE_WEBHOOK_SECRET,
            }
        ).encode()
        deadline = time.monotonic() + wait
        while True:
            try:
                urllib.request.urlopen(f"{base}/_config/webhooks/ocop", data, timeout=5)
                break
            except OSError as error:
                if time.monotonic() > deadline:
                    raise CommandError(
                        f"localstripe at {base} did not answer: {error}"
                    ) from error
                time.sleep(0.3)
        self.stdout.write(
            f"localstripe sends its events to {site}/payments/stripe/webhook/"
        )
