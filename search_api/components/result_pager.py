from __future__ import annotations

from haystack import component

from search_api.results import SourceResult


@component
class ResultPager:
    """Cuts one page out of the ranked sources; the whole list goes on for totals and facets.

    >>> from search_api.results import SourceResult
    >>> ranked = [SourceResult(f"s{i}", "", "document", 1 - i / 10, "") for i in range(5)]
    >>> out = ResultPager().run(ranked, offset=2, limit=2)
    >>> [r.source_id for r in out["results"]], out["total"]
    (['s2', 's3'], 5)
    """

    @component.output_types(results=list[SourceResult], total=int, ranked=list[SourceResult])
    def run(self, results: list[SourceResult], offset: int = 0, limit: int = 10) -> dict:
        return {"results": results[offset : offset + limit], "total": len(results), "ranked": results}
