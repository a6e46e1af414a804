"""Search requests → Haystack filters, with the access rule every caller goes through."""

from __future__ import annotations

from typing import Any

from query.request import SearchRequest

PUBLIC_ONLY = {"field": "meta.access", "operator": "!=", "value": "restricted"}


def search_filters(
    request: SearchRequest | None = None, include_restricted: bool = False
) -> dict[str, Any] | None:
    """AND of the request's facets and price range; restricted sources are excluded unless allowed.

    >>> search_filters(SearchRequest(province="สุรินทร์"))["conditions"][0]
    {'field': 'meta.province', 'operator': '==', 'value': 'สุรินทร์'}
    """
    conditions = [equals(name, value) for name, value in (request.filters_set() if request else {}).items()]
    if request and request.price_min is not None:
        conditions.append({"field": "meta.price", "operator": ">=", "value": request.price_min})
    if request and request.price_max is not None:
        conditions.append({"field": "meta.price", "operator": "<=", "value": request.price_max})
    if not include_restricted:
        conditions.append(PUBLIC_ONLY)
    return all_of(*conditions)


def source_filter(source_id: str) -> dict[str, Any]:
    return equals("source_id", source_id)


def equals(key: str, value: Any) -> dict[str, Any]:
    return {"field": f"meta.{key}", "operator": "==", "value": value}


def all_of(*conditions: dict[str, Any] | None) -> dict[str, Any] | None:
    """AND of the conditions given (``None`` ones are left out); ``None`` when there are none."""
    kept = [condition for condition in conditions if condition]
    return {"operator": "AND", "conditions": kept} if kept else None
