"""Signals of the OCOP catalogue (receivers: search indexing, page caches)."""

import django.dispatch
from django.db import transaction

# Sent after commit, with the ids of products whose sellability may have changed.
certification_changed = django.dispatch.Signal()


def certification_changed_on_commit(*, product_ids: list[int]) -> None:
    ids = sorted(set(product_ids))
    transaction.on_commit(
        lambda: certification_changed.send(sender="catalogue", product_ids=ids)
    )
