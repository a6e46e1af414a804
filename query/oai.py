"""An OAI-PMH 2.0 data provider over the archive: what national libraries and aggregators harvest.

Verbs: Identify, ListMetadataFormats, ListSets, ListIdentifiers, ListRecords, GetRecord; one
metadata format, ``oai_dc``; sets by type, category and province (``type:oral_history``,
``category:food-preservation``, ``province:ubon-ratchathani``, each under its parent set ``type``,
``category``, ``province``). A record's datestamp is its source's ``updated_at`` (UTC, seconds).

Resumption tokens carry the request and the last record sent (datestamp, identifier), not an
offset: a source updated during a harvest moves to the end and is sent again rather than
shifting the pages and being missed. Deleted records come from the tombstones
(``data/deleted.json``); the policy is *transient*, since a tombstone is dropped when its source
is ingested again and deletions made before tombstones kept a time are not reported.

Restricted sources are never listed, counted, or reported deleted, whoever asks: a harvester
has no key.

The logic is here, below the web layer: ``OaiProvider(archive, base_url).respond(params)`` takes
the request's arguments (``{name: [values]}``, GET query or POST form) and returns the XML bytes.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from query.filters import all_of, equals, search_filters
from query.places import load_gazetteer
from query.records import dublin_core

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI = f"{{{OAI_NS}}}"
REPOSITORY_NAME = "Panya (ปัญญา): Thai community knowledge archive"
IDENTIFIER_PREFIX = "oai:panya:"
EARLIEST = "1970-01-01T00:00:00Z"
PAGE_SIZE = 100
METADATA_FORMATS = {
    "oai_dc": (
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        "http://www.openarchives.org/OAI/2.0/oai_dc/",
    )
}
SET_FIELDS = {"type": "ประเภท (type)", "category": "หมวด (category)", "province": "จังหวัด (province)"}
TYPE_NAMES = {"document": "ภูมิปัญญา (documents)", "oral_history": "เรื่องเล่าปราชญ์ (oral histories)",
              "product": "สินค้าชุมชน (products)"}  # fmt: skip
#: Arguments each verb takes: required, optional, exclusive (resumptionToken alone).
VERBS: dict[str, tuple[set[str], set[str], set[str]]] = {
    "Identify": (set(), set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}, set()),
    "ListSets": (set(), set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, {"resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, {"resumptionToken"}),
}
_SPEC_SAFE = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class OaiError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Item:
    """One record: a public source, or the tombstone of a deleted one."""

    source_id: str
    datestamp: str
    sets: tuple[str, ...]
    meta: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    deleted: bool = False

    @property
    def identifier(self) -> str:
        return IDENTIFIER_PREFIX + self.source_id

    @property
    def key(self) -> tuple[str, str]:
        return (self.datestamp, self.source_id)


def set_spec(name: str, value: Any) -> str:
    """A set's spec (ASCII, as the protocol requires): provinces by their English name.

    >>> set_spec("province", "อุบลราชธานี"), set_spec("category", "food-preservation")
    ('province:ubon-ratchathani', 'category:food-preservation')
    >>> set_spec("category", "ผ้า")
    'category:u0e1cu0e49u0e32'
    """
    text = str(value)
    if name == "province":
        place = load_gazetteer().by_name(text)
        if place and place.english:
            text = re.sub(r"[^a-z0-9]+", "-", place.english.lower()).strip("-")
    if not _SPEC_SAFE.fullmatch(text):
        text = "".join(char if _SPEC_SAFE.fullmatch(char) else f"u{ord(char):04x}" for char in text)
    return f"{name}:{text}"


def _datestamp(meta: dict[str, Any], originals_dir: Path) -> str:
    stamp = meta.get("updated_at") or meta.get("added_at")
    if stamp and _SECOND.fullmatch(str(stamp)):
        return str(stamp)
    # indexed before provenance was recorded: the kept original's time is the best we know
    original = originals_dir / str(meta.get("file", ""))
    if meta.get("file") and original.is_file():
        return _format(dt.datetime.fromtimestamp(original.stat().st_mtime, dt.UTC))
    return EARLIEST


def _format(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class OaiProvider:
    """``respond(params)`` → an OAI-PMH response document (bytes, UTF-8)."""

    def __init__(
        self,
        archive,
        base_url: str,
        permalink: Callable[[str], str],
        tombstones: Callable[[], dict[str, dict]],
        admin_email: str,
        page_size: int = PAGE_SIZE,
        category_label: Callable[[str], str] | None = None,
    ):
        self.archive = archive
        self.base_url = base_url
        self.permalink = permalink
        self.tombstones = tombstones
        self.admin_email = admin_email
        self.page_size = page_size
        self.category_label = category_label or (lambda value: value)

    # -- the archive as records ------------------------------------------------------------------

    def items(self) -> list[Item]:
        """Every public source and every reportable deletion, by datestamp then identifier."""
        firsts = self.archive.store.filter_documents(
            all_of(search_filters(include_restricted=False), equals("chunk_index", 0))
        )
        originals = self.archive.settings.originals_dir
        items = {
            doc.meta["source_id"]: Item(
                source_id=doc.meta["source_id"],
                datestamp=_datestamp(doc.meta, originals),
                sets=self._sets(doc.meta),
                meta=doc.meta,
                text=doc.content or "",
            )
            for doc in firsts
        }
        for source_id, entry in self.tombstones().items():
            # only what a harvester could have seen, deleted at a known time, and not back since
            if entry.get("access") != "public" or not entry.get("deleted_at") or source_id in items:
                continue
            if self.archive.store.count_documents_by_filter(equals("source_id", source_id)):
                continue  # there again, restricted now: never say so
            items[source_id] = Item(source_id, str(entry["deleted_at"]), self._sets(entry), deleted=True)
        return sorted(items.values(), key=lambda item: item.key)

    @staticmethod
    def _sets(meta: dict[str, Any]) -> tuple[str, ...]:
        return tuple(set_spec(name, meta[name]) for name in SET_FIELDS if meta.get(name))

    # -- the protocol ----------------------------------------------------------------------------

    def respond(self, params: dict[str, list[str]]) -> bytes:
        root = etree.Element(OAI + "OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
        root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
        etree.SubElement(root, OAI + "responseDate").text = _format(dt.datetime.now(dt.UTC))
        request = etree.SubElement(root, OAI + "request")
        request.text = self.base_url
        try:
            verb, args = self._check(params)
            for name, value in ({"verb": verb} | args).items():
                request.set(name, value)
            root.append(getattr(self, "_" + verb)(args))
        except OaiError as error:
            request.attrib.clear()  # a bad from/until is found after the arguments were echoed
            if error.code not in ("badVerb", "badArgument"):  # else only the base URL is echoed
                for name, values in params.items():
                    request.set(name, values[0])
            element = etree.SubElement(root, OAI + "error", code=error.code)
            element.text = error.message
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    @staticmethod
    def _check(params: dict[str, list[str]]) -> tuple[str, dict[str, str]]:
        verbs = params.get("verb", [])
        if len(verbs) != 1 or verbs[0] not in VERBS:
            raise OaiError("badVerb", "verb missing, repeated or not an OAI-PMH verb")
        verb = verbs[0]
        args = {name: values for name, values in params.items() if name != "verb"}
        repeated = [name for name, values in args.items() if len(values) != 1]
        if repeated:
            raise OaiError("badArgument", f"repeated argument(s): {', '.join(sorted(repeated))}")
        single = {name: values[0] for name, values in args.items()}
        required, optional, exclusive = VERBS[verb]
        unknown = set(single) - required - optional - exclusive
        if unknown:
            raise OaiError("badArgument", f"{verb} does not take {', '.join(sorted(unknown))}")
        if exclusive & set(single):
            if len(single) > 1:
                raise OaiError("badArgument", "resumptionToken is an exclusive argument")
            return verb, single
        missing = required - set(single)
        if missing:
            raise OaiError("badArgument", f"{verb} needs {', '.join(sorted(missing))}")
        return verb, single

    def _Identify(self, args: dict[str, str]) -> etree._Element:
        element = etree.Element(OAI + "Identify")
        items = self.items()
        earliest = min((item.datestamp for item in items), default=EARLIEST)
        for name, value in (
            ("repositoryName", REPOSITORY_NAME),
            ("baseURL", self.base_url),
            ("protocolVersion", "2.0"),
            ("adminEmail", self.admin_email),
            ("earliestDatestamp", earliest),
            ("deletedRecord", "transient"),
            ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
        ):
            etree.SubElement(element, OAI + name).text = value
        return element

    def _ListMetadataFormats(self, args: dict[str, str]) -> etree._Element:
        if "identifier" in args:
            self._find(args["identifier"])
        element = etree.Element(OAI + "ListMetadataFormats")
        for prefix, (schema, namespace) in METADATA_FORMATS.items():
            entry = etree.SubElement(element, OAI + "metadataFormat")
            for name, value in (
                ("metadataPrefix", prefix),
                ("schema", schema),
                ("metadataNamespace", namespace),
            ):
                etree.SubElement(entry, OAI + name).text = value
        return element

    def _ListSets(self, args: dict[str, str]) -> etree._Element:
        if "resumptionToken" in args:
            raise OaiError("badResumptionToken", "ListSets is answered whole: no resumption token is valid")
        names: dict[str, str] = dict(SET_FIELDS)
        for item in self.items():
            if item.deleted:
                continue
            for name in SET_FIELDS:
                value = item.meta.get(name)
                if value:
                    label = TYPE_NAMES.get(value, value) if name == "type" else self.category_label(value)
                    if name == "province" and item.meta.get("province_en"):
                        label = f"{value} ({item.meta['province_en']})"
                    names.setdefault(set_spec(name, value), label)
        element = etree.Element(OAI + "ListSets")
        for spec in sorted(names):
            entry = etree.SubElement(element, OAI + "set")
            etree.SubElement(entry, OAI + "setSpec").text = spec
            etree.SubElement(entry, OAI + "setName").text = names[spec]
        return element

    def _GetRecord(self, args: dict[str, str]) -> etree._Element:
        self._format_of(args["metadataPrefix"])
        element = etree.Element(OAI + "GetRecord")
        element.append(self._record(self._find(args["identifier"])))
        return element

    def _ListIdentifiers(self, args: dict[str, str]) -> etree._Element:
        return self._list("ListIdentifiers", args, self._header)

    def _ListRecords(self, args: dict[str, str]) -> etree._Element:
        return self._list("ListRecords", args, self._record)

    def _list(
        self, verb: str, args: dict[str, str], render: Callable[[Item], etree._Element]
    ) -> etree._Element:
        token = _decode_token(args["resumptionToken"]) if "resumptionToken" in args else None
        query = (
            token["q"]
            if token
            else {k: args[k] for k in ("metadataPrefix", "from", "until", "set") if k in args}
        )
        self._format_of(query["metadataPrefix"])
        low, high = _range(query.get("from"), query.get("until"))
        chosen = [
            item for item in self.items()
            if low <= item.datestamp <= high and _in_set(item, query.get("set"))
        ]  # fmt: skip
        after = tuple(token["after"]) if token else None
        remaining = [item for item in chosen if after is None or item.key > after]
        if not remaining:
            raise OaiError("noRecordsMatch", "no records match the request")
        page, rest = remaining[: self.page_size], remaining[self.page_size :]
        element = etree.Element(OAI + verb)
        for item in page:
            element.append(render(item))
        if token or rest:  # a list in parts ends with an empty token
            cursor = len(chosen) - len(remaining)
            resumption = etree.SubElement(
                element, OAI + "resumptionToken", completeListSize=str(len(chosen)), cursor=str(cursor)
            )
            if rest and page:
                resumption.text = _encode_token({"q": query, "after": list(page[-1].key)})
        return element

    def _find(self, identifier: str) -> Item:
        if identifier.startswith(IDENTIFIER_PREFIX):
            source_id = identifier[len(IDENTIFIER_PREFIX) :]
            for item in self.items():
                if item.source_id == source_id:
                    return item
        raise OaiError("idDoesNotExist", f"no record {identifier!r} in this repository")

    @staticmethod
    def _format_of(prefix: str) -> None:
        if prefix not in METADATA_FORMATS:
            raise OaiError(
                "cannotDisseminateFormat", f"metadata format {prefix!r} is not offered; use oai_dc"
            )

    def _header(self, item: Item) -> etree._Element:
        header = etree.Element(OAI + "header")
        if item.deleted:
            header.set("status", "deleted")
        etree.SubElement(header, OAI + "identifier").text = item.identifier
        etree.SubElement(header, OAI + "datestamp").text = item.datestamp
        for spec in item.sets:
            etree.SubElement(header, OAI + "setSpec").text = spec
        return header

    def _record(self, item: Item) -> etree._Element:
        record = etree.Element(OAI + "record")
        record.append(self._header(item))
        if not item.deleted:
            metadata = etree.SubElement(record, OAI + "metadata")
            category = item.meta.get("category")
            label = self.category_label(category) if category else None
            metadata.append(dublin_core(item.meta, self.permalink(item.source_id), item.text, label))
        return record


def _in_set(item: Item, spec: str | None) -> bool:
    return spec is None or any(own == spec or own.startswith(spec + ":") for own in item.sets)


def _range(low: str | None, high: str | None) -> tuple[str, str]:
    """``from``/``until`` as comparable datestamps (a day is the whole day); bad ones are badArgument.

    >>> _range("2026-01-01", None)
    ('2026-01-01T00:00:00Z', '9999-12-31T23:59:59Z')
    """

    def parse(value: str | None, end_of_day: bool) -> tuple[str, str | None]:
        if value is None:
            return ("9999-12-31T23:59:59Z" if end_of_day else EARLIEST), None
        if _SECOND.fullmatch(value):
            kind = "second"
        elif _DAY.fullmatch(value):
            kind, value = "day", value + ("T23:59:59Z" if end_of_day else "T00:00:00Z")
        else:
            raise OaiError(
                "badArgument", f"{value!r} is not a UTC datestamp (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)"
            )
        try:
            dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            raise OaiError("badArgument", f"{value!r} is not a real date") from None
        return value, kind

    start, start_kind = parse(low, False)
    end, end_kind = parse(high, True)
    if start_kind and end_kind and start_kind != end_kind:
        raise OaiError("badArgument", "from and until must have the same granularity")
    if start > end:
        raise OaiError("badArgument", "from is after until")
    return start, end


def _encode_token(state: dict[str, Any]) -> str:
    raw = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_token(token: str) -> dict[str, Any]:
    try:
        state = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        query, after = state["q"], state["after"]
        valid = isinstance(query, dict) and isinstance(query.get("metadataPrefix"), str)
        valid = valid and all(isinstance(query.get(k, ""), str) for k in ("from", "until", "set"))
        valid = valid and set(query) <= {"metadataPrefix", "from", "until", "set"}
        if not (
            valid and isinstance(after, list) and len(after) == 2 and all(isinstance(a, str) for a in after)
        ):
            raise ValueError("not a Panya token")
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise OaiError("badResumptionToken", "the resumption token is invalid or expired") from None
    return state


def params_of(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """A request's arguments, each name with all its values (a repeated one is an error)."""
    params: dict[str, list[str]] = {}
    for name, value in pairs:
        params.setdefault(name, []).append(value)
    return params
