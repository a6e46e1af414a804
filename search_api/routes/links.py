"""Addresses of the village-facing pages, and what a source page shows to link them together
(its sage's and its place's pages, a product's contact and its producer's other products).

Kept apart from ``pages`` and ``catalogue`` so that both can use it without importing each other.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from query.catalogue import PERSON_FIELDS, contact_links, other_products
from query.categories import load_categories
from search_api.session import staff_of


def sage_url(name: str) -> str:
    """A person's page.

    >>> sage_url("บัวลาย ศรีวงษา") == "/sages/" + quote("บัวลาย ศรีวงษา")
    True
    """
    return "/sages/" + quote(name, safe="")


def place_url(province: str, village: str | None = None) -> str:
    """A province's page, or a village's within it.

    >>> place_url("แพร่", "บ้านทุ่งโฮ้ง") == "/places/" + quote("แพร่") + "/" + quote("บ้านทุ่งโฮ้ง")
    True
    """
    url = "/places/" + quote(province, safe="")
    return url + "/" + quote(village, safe="") if village else url


def products_url(**params: Any) -> str:
    kept = {key: value for key, value in params.items() if value not in (None, "")}
    return "/products" + ("?" + urlencode(kept) if kept else "")


def source_links(archive, source_id: str, meta: dict[str, Any], include_restricted: bool = False) -> dict:
    """What a source page links to: people, places, the archive category, a product's contact and
    its producer's other products."""
    vocabulary = load_categories()
    archive_category = vocabulary.archive_category(meta.get("category"))
    people: list[tuple[str, str]] = []
    for field in PERSON_FIELDS:
        name = meta.get(field)
        if isinstance(name, str) and name and name not in [person for _, person in people]:
            people.append((field, name))
    related = []
    if meta.get("type") == "product":
        related = other_products(archive.store, meta, source_id, include_restricted)
    return {
        "people": people,
        "archive_category": archive_category,
        "contact_links": contact_links(meta.get("contact")) if meta.get("type") == "product" else {},
        "other_products": related,
        "vocabulary": vocabulary,
    }


def sees_restricted(request, archive, caller) -> bool:
    """A key that grants restricted sources, or a signed-in staff member (they curate them)."""
    return caller.sees_restricted or staff_of(request, archive.settings) is not None
