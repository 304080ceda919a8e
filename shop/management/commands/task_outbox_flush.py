from django.core.management.base import BaseCommand

from shop.task_outbox import task_outbox_flush, task_outbox_pending


class Command(BaseCommand):
    help = (
        "Send the tasks waiting in the outbox (those the broker could not take when "
        "their change committed). Beat does this every minute; this is for a site "
        "without beat, or to drain now once Redis is back."
    )

    def handle(self, *args, **options):
        sent = task_outbox_flush(limit=10_000)
        self.stdout.write(f"{sent} sent, {task_outbox_pending()} still waiting")
