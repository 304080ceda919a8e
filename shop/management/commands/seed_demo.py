import time

from django.core.management.base import BaseCommand

from catalogue import demo as catalogue_demo
from cms import demo as cms_demo
from sales_points import demo as sales_points_demo
from shop import demo as shop_demo


class Command(BaseCommand):
    help = "Create the demo data (deterministic for a given --seed, safe to re-run)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--scale", choices=["demo", "national"], default="demo")

    def handle(self, *args, seed: int, scale: str, **options):
        started = time.monotonic()
        logins = shop_demo.seed_logins()
        products = catalogue_demo.seed(seed=seed, scale=scale)
        sales_points_demo.seed(seed=seed)
        if scale == "national":
            sales_points_demo.receive_national_stock(seed=seed)
        cms_demo.seed(seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready in {time.monotonic() - started:.1f}s: {products} products."
            )
        )
        self.stdout.write(
            f"Demo logins (user name or email; password {shop_demo.DEMO_PASSWORD}; "
            "the storefront takes the email):"
        )
        for login in logins:
            self.stdout.write(
                f"  {login.username:<10} {login.email:<22} {login.role:<26} {login.where}"
            )
