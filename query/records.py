"""A source as other systems read it: Dublin Core (``oai_dc``, for OAI-PMH harvesters and library
catalogues) and schema.org JSON-LD (for search engines, embedded in the source page).

``meta`` is a source's metadata as the archive stores it; ``url`` its permalink (from the web
layer); ``text`` its text, of which the start becomes the description.

>>> dc = dublin_core({"title": "ปลาร้าอุบล", "type": "document", "province": "อุบลราชธานี"}, "https://p.example/x")
>>> [child.text for child in dc if child.tag == DC + "title"]
['ปลาร้าอุบล']
"""

from __future__ import annotations

import json
from typing import Any

from lxml import etree

from query.citation import ARCHIVE_NAME, CREATOR_KEYS, KIND_EN, creator, place_en, place_th

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC = f"{{{DC_NS}}}"
DESCRIPTION_CHARS = 500
#: DCMI Type Vocabulary term per source type.
DCMI_TYPES = {"document": "Text", "oral_history": "Sound", "product": "PhysicalObject"}
MIME_TYPES = {"md": "text/markdown", "markdown": "text/markdown", "txt": "text/plain", "html": "text/html",
              "htm": "text/html", "pdf": "application/pdf", "vtt": "text/vtt", "srt": "application/x-subrip",
              "csv": "text/csv", "jsonl": "application/jsonl",
              "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}  # fmt: skip
LICENSES = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
    "CC-BY-NC-SA-4.0": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}
#: ISO 639 codes a harvester understands, for the archive's language tags.
LANGUAGES = {"th": "tha", "th-isan": "tts", "th-lanna": "nod", "th-south": "sou", "en": "eng"}


def description(meta: dict[str, Any], text: str) -> str:
    """The start of the source's text, cut at a space, as a summary."""
    text = " ".join((text or "").split())
    if len(text) <= DESCRIPTION_CHARS:
        return text
    cut = text.rfind(" ", 0, DESCRIPTION_CHARS)
    return text[: cut if cut > DESCRIPTION_CHARS // 2 else DESCRIPTION_CHARS] + " …"


def subjects(meta: dict[str, Any], category_label: str | None = None) -> list[str]:
    values = [category_label or meta.get("category"), *(meta.get("tags") or [])]
    return list(dict.fromkeys(str(value) for value in values if value))


def dublin_core(
    meta: dict[str, Any], url: str, text: str = "", category_label: str | None = None
) -> etree._Element:
    """An ``oai_dc:dc`` element (the fifteen elements, each repeated as needed)."""
    root = etree.Element(
        f"{{{OAI_DC_NS}}}dc",
        nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS},
    )
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")

    def add(name: str, value: Any, lang: str | None = None) -> None:
        if value in (None, ""):
            return
        element = etree.SubElement(root, DC + name)
        element.text = _xml_text(str(value))
        if lang:
            element.set("{http://www.w3.org/XML/1998/namespace}lang", lang)

    add("title", meta.get("title"), "th")
    creators = [meta.get(key) for key in CREATOR_KEYS if key != "producer" or meta.get("type") == "product"]
    for name in dict.fromkeys(str(name) for name in creators if name):  # a sage is often the interviewee
        add("creator", name)
    add("contributor", meta.get("interviewer"))
    for subject in subjects(meta, category_label):
        add("subject", subject)
    add("description", description(meta, text), "th")
    if meta.get("type") == "product" and meta.get("price") is not None:
        unit = f" / {meta['unit']}" if meta.get("unit") else ""
        add("description", f"ราคา {meta['price']:g} บาท{unit} (THB)")
    add("publisher", ARCHIVE_NAME)
    add("date", meta.get("date"))
    add("type", DCMI_TYPES.get(str(meta.get("type")), "Text"))
    add("type", KIND_EN.get(str(meta.get("type"))))
    add("format", MIME_TYPES.get(str(meta.get("format"))))
    add("identifier", url)
    add("source", meta.get("source"))
    add("language", LANGUAGES.get(str(meta.get("language") or "th"), meta.get("language")))
    add("coverage", place_th(meta), "th")
    add("coverage", place_en(meta), "en")
    add("rights", meta.get("license"))
    return root


def json_ld(
    meta: dict[str, Any],
    url: str,
    text: str = "",
    category_label: str | None = None,
    audio_url: str | None = None,
) -> dict[str, Any]:
    """schema.org JSON-LD: ``CreativeWork`` for a document, ``AudioObject`` for an oral history
    (schema.org has no Interview type: ``genre`` says it), ``Product`` with an ``Offer`` in THB."""
    kind = meta.get("type")
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": {"oral_history": "AudioObject", "product": "Product"}.get(str(kind), "CreativeWork"),
        "@id": url,
        "url": url,
        "name": meta.get("title", ""),
        "description": description(meta, text),
    }
    place = _place(meta)
    if kind == "product":
        if meta.get("category"):
            data["category"] = category_label or meta["category"]
        if meta.get("product_id"):
            data["sku"] = meta["product_id"]
        if meta.get("producer"):
            data["manufacturer"] = {"@type": "Organization", "name": meta["producer"]}
        if meta.get("price") is not None:
            data["offers"] = {
                "@type": "Offer",
                "price": f"{float(meta['price']):.2f}",
                "priceCurrency": "THB",
                "url": url,
                **({"seller": {"@type": "Organization", "name": meta["producer"]}} if meta.get("producer") else {}),
                **(
                    {"priceSpecification": {"@type": "UnitPriceSpecification", "price": f"{float(meta['price']):.2f}",
                                            "priceCurrency": "THB", "unitText": meta["unit"]}}
                    if meta.get("unit") else {}
                ),
                **({"areaServed": place} if place else {}),
            }  # fmt: skip
        if meta.get("tags"):
            data["keywords"] = ", ".join(meta["tags"])
        return data
    if kind == "oral_history":
        data["genre"] = "Oral history interview (เรื่องเล่าปราชญ์)"
        if audio_url:
            data["contentUrl"] = audio_url
        if text:
            data["transcript"] = text
        if meta.get("interviewer"):
            data["contributor"] = {"@type": "Person", "name": meta["interviewer"], "roleName": "interviewer"}
        if meta.get("interviewee"):
            data["about"] = {"@type": "Person", "name": meta["interviewee"]}
    if creator(meta):
        data["author"] = {"@type": "Person", "name": creator(meta)}
    subject = subjects(meta, category_label)
    if subject:
        data["keywords"] = ", ".join(subject)
    if meta.get("date"):
        data["dateCreated"] = meta["date"]
    if meta.get("language"):
        data["inLanguage"] = meta["language"]
    if place:
        data["spatialCoverage"] = place
    if meta.get("license"):
        data["license"] = LICENSES.get(str(meta["license"]), meta["license"])
    if meta.get("updated_at"):
        data["dateModified"] = meta["updated_at"]
    data["publisher"] = {"@type": "Organization", "name": ARCHIVE_NAME}
    data["isAccessibleForFree"] = True
    return data


def _place(meta: dict[str, Any]) -> dict[str, Any] | None:
    if not (meta.get("province") or meta.get("village")):
        return None
    address = {"@type": "PostalAddress", "addressCountry": "TH"}
    address |= {name: meta[key] for key, name in (("district", "addressLocality"), ("province", "addressRegion"))
                if meta.get(key)}  # fmt: skip
    return {"@type": "Place", "name": place_th(meta), "address": address}


def script_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/ld+json">``: no ``</script>``, ``<!--`` or ``&``
    can end or bend the element, whatever a title holds.

    >>> script_json({"name": "</script><script>alert(1)</script>"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                          ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escaped)
    return text


def _xml_text(value: str) -> str:
    """Drop characters XML 1.0 cannot carry (control characters a converted file may hold)."""
    return "".join(
        char for char in value if char in "\t\n\r" or ("\x20" <= char <= "\ud7ff") or ("\ue000" <= char <= "\ufffd")
        or char >= "\U00010000"
    )  # fmt: skip
