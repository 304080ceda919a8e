"""The one search interface both backends answer (issue 7): a SearchQuery in, a
SearchResult out. Views, the JSON API and catalogue browsing only ever build a
SearchQuery and read a SearchResult; which backend answers is settings' business."""

from dataclasses import dataclass, field
from typing import Protocol

SORTS = ("relevance", "price", "-price", "newest", "stars")
# Facets every result carries, in display order.
FACETS = ("group", "stars", "region", "producer_kind", "producer", "availability")


@dataclass(frozen=True)
class SearchQuery:
    """What the buyer asked for. Filters within one facet are ORed, facets ANDed."""

    text: str = ""
    groups: tuple[str, ...] = ()  # ProductGroup codes; a main group includes subgroups
    stars: tuple[int, ...] = ()  # 3, 4, 5: the certificate in force
    # AdministrativeUnit codes: the origin, its parent and grandparent.
    regions: tuple[str, ...] = ()
    producers: tuple[int, ...] = ()  # Producer ids
    producer_kinds: tuple[str, ...] = ()  # Producer.Kind values
    price_min: int | None = None  # whole VND, inclusive
    price_max: int | None = None
    in_stock: bool = False  # free to sell at some active outlet
    outlet: str | None = None  # free to sell at this outlet (SalesPoint code)
    near: tuple[float, float] | None = None  # free to sell within near_km of (lat, lng)
    near_km: float = 25.0
    categories: tuple[int, ...] = ()  # Oscar category ids (descendants included)
    language: str = "vi"
    sort: str = "relevance"
    page: int = 1
    page_size: int = 24
    certified_only: bool = True  # only what can be sold right now


@dataclass(frozen=True)
class FacetValue:
    value: str  # what goes back in the query (code, id, number)
    label: str  # in the query's language
    count: int  # results with this value, under the other facets' filters
    selected: bool = False


@dataclass
class SearchResult:
    """One page of products in ranking order (Product instances with what a listing
    card shows prefetched), the total, facet counts and a "did you mean"."""

    products: list
    total: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None  # a better spelling of query.text, if any
    backend: str = ""  # "database" or "elasticsearch" (for /healthz and logs)


class SearchBackend(Protocol):
    name: str

    def search(self, query: SearchQuery) -> SearchResult: ...

    def index(self, product_ids: list[int]) -> None:
        """Bring these products' documents up to date (or remove them)."""

    def is_available(self) -> bool: ...
