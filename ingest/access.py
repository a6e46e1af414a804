"""Who may see a source: decided here, once, from every place metadata can say it.

Those places are a sidecar, YAML front matter, an HTML ``<meta name="access">`` and a catalogue's
``access`` column. Keys and values are compared without regard to case or surrounding spaces
(``Access: Restricted``, ``"access ": "restricted "``). When they disagree the most restrictive
wins, whatever their usual precedence: a sidecar saying ``public`` does not open a document
its front matter restricts. A value that is neither ``public`` nor ``restricted`` refuses the file.

A misspelt key must not open a restricted source, so a key within two edits of ``access``
(``acess``, ``acces``, ``accsess``, ``Acsess``) is read as ``access`` when its value is an access
level (the report notes the misspelling), and refuses the file naming the key when it is not:
``acess: private`` is more likely a restriction gone wrong than a field of its own.

>>> decide_access([("the front matter", "Access", "Restricted "), ("the sidecar ya.meta.json", "access", "public")])
('restricted', [])
>>> decide_access([("the front matter", "acess", "restricted")])
('restricted', ["the front matter: read the key 'acess' as 'access' (a misspelling?)"])
"""

from __future__ import annotations

from typing import Any

PUBLIC, RESTRICTED = "public", "restricted"
ACCESS_LEVELS = (PUBLIC, RESTRICTED)
#: Edits (insert, delete, substitute, swap two neighbours) a key may be from "access" and still be it.
MAX_KEY_EDITS = 2


class AccessError(ValueError):
    """An access level Panya cannot honour; the message names where it was written."""


def fold(text: Any) -> str:
    """A key or value as compared: case and surrounding spaces ignored."""
    return str(text).strip().casefold()


def is_access_key(key: Any) -> bool:
    """``access`` in any case, or a misspelling of it.

    >>> [is_access_key(k) for k in ("ACCESS ", "acess", "accsess", "acces", "access_level", "address")]
    [True, True, True, True, False, False]
    """
    folded = fold(key).replace(" ", "").replace("_", "").replace("-", "")
    return edit_distance(folded, "access", MAX_KEY_EDITS) <= MAX_KEY_EDITS


def decide_access(found: list[tuple[str, str, Any]]) -> tuple[str, list[str]]:
    """The access level of a source from ``(where, key, value)`` triples, and notes for the report.

    Empty values are ignored; with no value at all a source is public.
    """
    levels, notes = [], []
    for where, key, value in found:
        if value is None or fold(value) == "":
            continue
        level = fold(value)
        misspelt = fold(key) != "access"
        if level not in ACCESS_LEVELS:
            if misspelt:
                raise AccessError(
                    f"{where}: the key {key!r} looks like a misspelt 'access', and {value!r} is neither "
                    "public nor restricted: correct the key or the value"
                )
            raise AccessError(f"{where}: access must be public or restricted, got {value!r}")
        if misspelt:
            notes.append(f"{where}: read the key {key!r} as 'access' (a misspelling?)")
        levels.append(level)
    return (RESTRICTED if RESTRICTED in levels else PUBLIC), notes


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a swap of neighbours is one edit); ``limit + 1`` once over.

    >>> edit_distance("accsess", "access", 2), edit_distance("acecss", "access", 2), edit_distance("title", "access", 2)
    (1, 1, 3)
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)
