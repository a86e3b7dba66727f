"""The one reading of a search's parameters, for the search page, its exports and the API.

`StandardFilter` (stdplus.catalog.schemas) declares them once: the API reads the query string
through it with ninja (`Query[StandardFilter]`, a 422 naming the parameter on a bad value), the
pages through `filters_read` below (the same schema, the same message, shown on the page).
Either way `search_run` turns the parsed parameters into one search.
"""

from __future__ import annotations

from django.http import QueryDict

from stdplus.catalog.api import clean_text
from stdplus.catalog.schemas import StandardFilter
from stdplus.core.queries import query_read

from .selectors import SearchFilters, SearchResult, standards_search


def filters_read(query: QueryDict) -> StandardFilter:
    """The search parameters of a page's query string, read through the API's schema.

    Raises ApplicationError naming the first parameter in error, worded as the API's 422."""
    return query_read(StandardFilter, query, clean=_clean)


def _clean(value: str) -> str:
    return clean_text(value).strip()


def search_filters(params: StandardFilter) -> SearchFilters:
    return SearchFilters(
        level=list(params.level),
        body=[clean_text(b) for b in params.body],
        status=list(params.status),
        ics=list(params.ics),
        ccs=list(params.ccs),
        published_from=params.published_from,
        published_to=params.published_to,
    )


def search_run(params: StandardFilter, **window: int) -> SearchResult:
    """The search the parameters ask for; `window` (page, page_size, page_size_max) overrides
    the parameters' own page (an export reads its first rows whatever page was shown)."""
    return standards_search(
        q=clean_text(params.q),
        filters=search_filters(params),
        sort=params.sort,
        page=window.get("page", params.page),
        page_size=window.get("page_size", params.page_size),
        page_size_max=window.get("page_size_max", 0),
    )
