"""Search requests → Haystack filters, with the access rule every caller goes through."""

from __future__ import annotations

from typing import Any

PUBLIC_ONLY = {"field": "meta.access", "operator": "!=", "value": "restricted"}


def search_filters(
    type: str | None = None,
    province: str | None = None,
    category: str | None = None,
    include_restricted: bool = False,
) -> dict[str, Any] | None:
    """AND of the chosen facets; restricted sources are excluded unless explicitly allowed.

    >>> search_filters(province="สุรินทร์")["conditions"][0]
    {'field': 'meta.province', 'operator': '==', 'value': 'สุรินทร์'}
    """
    conditions = [
        {"field": f"meta.{key}", "operator": "==", "value": value}
        for key, value in (("type", type), ("province", province), ("category", category))
        if value
    ]
    if not include_restricted:
        conditions.append(PUBLIC_ONLY)
    if not conditions:
        return None
    return {"operator": "AND", "conditions": conditions}


def source_filter(source_id: str) -> dict[str, Any]:
    return {"field": "meta.source_id", "operator": "==", "value": source_id}
