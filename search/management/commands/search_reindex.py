from django.core.management.base import BaseCommand, CommandError

from search.elastic_backend import ERRORS, ReindexInProgress
from search.services import search_reindex


class Command(BaseCommand):
    help = (
        "Rebuild every search document and, with ELASTICSEARCH_URL, a new versioned "
        "index behind the alias (swapped atomically); changes made meanwhile are "
        "drained afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--index-version",
            dest="index_version",
            help="Version of the new index (default: the UTC time, YYYYmmddHHMMSS).",
        )

    def handle(self, *args, index_version: str | None = None, **options):
        try:
            report = search_reindex(version=index_version)
        except ReindexInProgress as exc:
            raise CommandError(f"Another reindex is running: {exc}") from exc
        except ERRORS as exc:
            raise CommandError(f"Elasticsearch failed: {exc!r}") from exc
        self.stdout.write(f"Database documents written: {report.documents}")
        if report.index:
            self.stdout.write(f"Index {report.index}: {report.indexed} documents")
            self.stdout.write(
                f"Old indices deleted: {', '.join(report.removed) or 'none'}"
            )
        self.stdout.write(
            f"Outbox rows added during the rebuild: {report.queued_during}"
        )
        self.stdout.write(f"Outbox rows drained afterwards: {report.drained}")
        if report.drain_error:
            raise CommandError(
                f"The drain failed ({report.drain_error}); {report.pending} outbox "
                "rows pending, the periodic drain retries them.",
                returncode=2,
            )
        self.stdout.write(self.style.SUCCESS("Search reindexed."))
