"""Haystack filter dicts → qdrant-edge ``Filter`` objects.

>>> f = to_edge_filter({"field": "meta.province", "operator": "==", "value": "อุบลราชธานี"})
>>> type(f).__name__
'Filter'
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import qdrant_edge as qe
from haystack.errors import FilterError


def to_edge_filter(filters: dict[str, Any] | None) -> qe.Filter | None:
    if not filters:
        return None
    return _node(filters)


def _node(node: dict[str, Any]) -> qe.Filter:
    if "operator" not in node:
        raise FilterError(f"filter without an operator: {node!r}")
    operator = node["operator"]
    if operator in _LOGICAL:
        children = [_node(child) for child in node.get("conditions", [])]
        return _LOGICAL[operator](children)
    if "field" not in node or "value" not in node:
        raise FilterError(f"comparison needs 'field' and 'value': {node!r}")
    if operator not in _COMPARISONS:
        raise FilterError(f"unknown filter operator {operator!r}")
    return _COMPARISONS[operator](node["field"], node["value"])


def _match(key: str, value: Any) -> qe.FieldCondition | qe.IsNullCondition:
    if value is None:
        return qe.IsNullCondition(key)
    if isinstance(value, float):
        return qe.FieldCondition(key=key, range=qe.RangeFloat(gte=value, lte=value))
    return qe.FieldCondition(key=key, match=qe.MatchValue(value))


def _in(key: str, values: Any) -> qe.FieldCondition:
    if not isinstance(values, list):
        raise FilterError(f"'in' needs a list, got {values!r}")
    return qe.FieldCondition(key=key, match=qe.MatchAny(values))


def _range(bound: str):
    def condition(key: str, value: Any) -> qe.Filter:
        if isinstance(value, str):
            try:
                datetime.fromisoformat(value)
            except ValueError as error:
                raise FilterError(
                    f"range filter on {key} needs a number or ISO date, got {value!r}"
                ) from error
            return qe.Filter(must=[qe.FieldCondition(key=key, range=qe.RangeDateTime(**{bound: value}))])
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FilterError(f"range filter on {key} needs a number or ISO date, got {value!r}")
        return qe.Filter(must=[qe.FieldCondition(key=key, range=qe.RangeFloat(**{bound: float(value)}))])

    return condition


_COMPARISONS = {
    "==": lambda key, value: qe.Filter(must=[_match(key, value)]),
    "!=": lambda key, value: qe.Filter(must_not=[_match(key, value)]),
    "in": lambda key, values: qe.Filter(must=[_in(key, values)]),
    "not in": lambda key, values: qe.Filter(must_not=[_in(key, values)]),
    ">": _range("gt"),
    ">=": _range("gte"),
    "<": _range("lt"),
    "<=": _range("lte"),
}
_LOGICAL = {
    "AND": lambda children: qe.Filter(must=children),
    "OR": lambda children: qe.Filter(should=children),
    "NOT": lambda children: qe.Filter(must_not=[qe.Filter(must=children)]),
}
