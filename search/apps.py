import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    """Oscar's search app, forked: catalogue browsing and search come from our own
    backends here, not from haystack (whose simple engine lists no products)."""

    name = "search"
