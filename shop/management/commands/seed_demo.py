import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from catalogue import demo as catalogue_demo
from cms import demo as cms_demo
from sales_points import demo as sales_points_demo
from search import outbox
from search.services import search_reindex
from shop import demo as shop_demo
from shop.currency import exchange_rates_seed
from shop.shipping import demo as shipping_demo

OUTLET_LOGINS_FILE = Path("var") / "demo-outlet-logins.txt"


class Command(BaseCommand):
    help = "Create the demo data (deterministic for a given --seed, safe to re-run)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--scale", choices=["demo", "national"], default="demo")

    def handle(self, *args, seed: int, scale: str, **options):
        started = time.monotonic()
        # One search rebuild at the end, not a drain after every commit.
        with outbox.drain_deferred():
            logins = shop_demo.seed_logins()
            products = catalogue_demo.seed(seed=seed, scale=scale)
            network = sales_points_demo.seed(seed=seed)
            shipping_demo.shipping_seed()
            exchange_rates_seed()
            outlet_login_at = shop_demo.outlet_login_link()
            national_outlets = 0
            if scale == "national":
                sales_points_demo.receive_national_stock(seed=seed)
                national_outlets = sales_points_demo.national_outlets_seed(seed=seed)
            cms_demo.seed(seed=seed)
            # Nothing else writes during the seed: the queued rows can go.
            documents = search_reindex(discard_queued=True).documents
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready in {time.monotonic() - started:.1f}s: {products} "
                f"products ({documents} search documents)."
            )
        )
        self.stdout.write(
            f"Demo logins (user name or email; password {shop_demo.DEMO_PASSWORD}; "
            "the storefront takes the email):"
        )
        for login in logins:
            where = login.where
            if login.username == "outlet" and outlet_login_at:
                where = f"{where} ({outlet_login_at.name_vi})"
            self.stdout.write(
                f"  {login.username:<10} {login.email:<22} {login.role:<26} {where}"
            )
        self._outlet_logins(network)
        if scale == "national":
            self.stdout.write(
                f"National scale: {national_outlets} outlets added "
                f"(codes {sales_points_demo.NATIONAL_PREFIX}00001 …, no logins)."
            )

    def _outlet_logins(self, network) -> None:
        """Every outlet login, on screen and in a file (var/ is not committed)."""
        levels = ", ".join(
            f"{n} {level}" for level, n in sorted(network.by_level.items())
        )
        path = Path(settings.BASE_DIR) / OUTLET_LOGINS_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            out.write("username\temail\tlevel\toutlet\n")
            for login in network.logins:
                out.write(
                    f"{login.username}\t{login.email}\t{login.level}\t{login.name}\n"
                )
        self.stdout.write(
            f"Sales points: {network.outlets} ({levels}); one staff login each, "
            "user name = outlet code, same password:"
        )
        for login in network.logins:
            self.stdout.write(f"  {login.username:<26} {login.name}")
        self.stdout.write(
            f"  (the same {len(network.logins)} logins, tab-separated, in "
            f"{OUTLET_LOGINS_FILE})"
        )
