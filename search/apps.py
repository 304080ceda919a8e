import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    """Oscar's search app, forked: catalogue browsing and search come from our own
    backends here, not from haystack (whose simple engine lists no products)."""

    name = "search"

    def ready(self):
        super().ready()
        from search import receivers  # noqa: F401 (connects the outbox receivers)
        from search.backends import indexers_configure

        indexers_configure()  # Elasticsearch joins the outbox's indexers if configured
