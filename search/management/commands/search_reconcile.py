from django.core.management.base import BaseCommand, CommandError

from search.elastic_backend import ERRORS
from search.services import Differences, search_reconcile

LABELS = {
    "missing": "browsable products without a database document",
    "orphaned": "database documents of products no longer browsable",
    "stale": "database documents differing from the catalogue",
    "index_missing": "database documents missing from the index",
    "index_orphaned": "indexed products without a database document",
    "index_stale": "indexed documents differing from the database document",
}
SHOWN_IDS = 50


class Command(BaseCommand):
    help = (
        "Compare the catalogue with the search documents and, with ELASTICSEARCH_URL, "
        "the documents with the index. Exits 1 when differences remain (after "
        "--repair, which queues and drains the products concerned)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair",
            action="store_true",
            help="Queue the differing products in the search outbox and drain it.",
        )

    def handle(self, *args, repair: bool = False, **options):
        try:
            report = search_reconcile(repair=repair)
        except ERRORS as exc:
            raise CommandError(f"Elasticsearch failed: {exc!r}", returncode=2) from exc
        self._print(report.found)
        if not report.found.index_checked:
            self.stdout.write("Index: not compared (ELASTICSEARCH_URL is not set).")
        if report.remaining is None:
            if report.found:
                total = len(report.found.product_ids())
                raise CommandError(
                    f"{total} products differ; run with --repair to fix them.",
                    returncode=1,
                )
            self.stdout.write(self.style.SUCCESS("No differences."))
            return
        self.stdout.write(
            f"Repair: {report.queued} products queued, {report.drained} outbox rows "
            "drained."
        )
        if report.drain_error:
            self.stdout.write(f"The drain failed: {report.drain_error}")
        if report.remaining:
            self.stdout.write("Still differing after the repair:")
            self._print(report.remaining)
            raise CommandError(
                f"{len(report.remaining.product_ids())} products still differ.",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS("Repaired: no differences left."))

    def _print(self, differences: Differences) -> None:
        for kind, ids in differences.by_kind().items():
            if not ids:
                continue
            shown = ", ".join(str(pk) for pk in ids[:SHOWN_IDS])
            more = f" (and {len(ids) - SHOWN_IDS} more)" if len(ids) > SHOWN_IDS else ""
            self.stdout.write(f"{LABELS[kind]}: {len(ids)}: {shown}{more}")
