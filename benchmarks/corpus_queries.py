"""How well the sample corpora's own queries (corpora/queries.jsonl) are answered, per kind and split.

    .venv/bin/python benchmarks/corpus_queries.py [--data-dir DIR] [--mode hybrid|dense|keyword]
        [--corpora DIR]

``--corpora`` measures another archive of the same layout against its own ``queries.jsonl``.

Through ``Archive.search``, the path users get (understanding, expansion, the relevance cut-off,
answer location). Per kind, for the tune half, the held-out half and both:
- success@1 / success@5: an expected source first / among the first five (answerable kinds);
- no-answer: the share of ``no_answer`` queries that get ``total == 0``;
- constraint: an expected source in the top 3 and no product over (under) the price limit in the top 5;
- moment: the answering transcript's ``start``/``end`` overlap the labelled cue range;
- median total of the answerable queries.
Queries search as the public (restricted sources left out), as a villager would; the ``restricted``
kind searches as staff, since it asks for them (the access rule has its own tests).
Misses are listed at the end.

``--typing`` asks every query again as people type it on a phone (a question mark, a polite
ending, an emoji, a word at a time, a letter stretched) and prints each way's pass rate: each should
equal the plain one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from collections import defaultdict
from pathlib import Path

from index.thai_text import word_spans
from panya.archive import Archive
from panya.ingestion import ingest_path
from panya.settings import Settings, apply_offline_environment

REPO = Path(__file__).resolve().parent.parent


def judge(query: dict, page) -> dict:
    ranking = [result.source_id for result in page.results]
    rank = next((i + 1 for i, sid in enumerate(ranking) if sid in query["expected"]), None)
    verdict = {"rank": rank, "total": page.total}
    if query["kind"] == "no_answer":
        verdict["ok"] = page.total == 0
    elif query["kind"] == "constraint":
        prices = [r.meta.get("price") for r in page.results[:5] if r.type == "product"]
        within = all(
            price is None
            or (query.get("price_max") is None or price <= query["price_max"])
            and (query.get("price_min") is None or price >= query["price_min"])
            for price in prices
        )
        verdict["ok"] = bool(rank and rank <= 3) and within
    elif query["kind"] == "moment":
        hit = next((r for r in page.results if r.source_id in query["expected"]), None)
        low, high = query["moment"]
        verdict["ok"] = bool(hit and hit.start is not None and hit.start <= high and hit.end >= low)
        verdict["moment"] = (hit.start, hit.end) if hit else None
    else:
        verdict["ok"] = bool(rank and rank <= 5)
    return verdict


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data-dir", type=Path, help="reuse (or create) this data dir instead of a temporary one"
    )
    parser.add_argument(
        "--corpora",
        type=Path,
        default=REPO / "corpora",
        help="an archive of the same layout with its own queries.jsonl (default: the sample corpora)",
    )
    parser.add_argument("--mode", default="hybrid", choices=["hybrid", "dense", "keyword"])
    parser.add_argument("--typing", action="store_true", help="also ask each query as typed on a phone")
    args = parser.parse_args()
    apply_offline_environment()
    queries = [json.loads(line) for line in (args.corpora / "queries.jsonl").read_text().splitlines() if line]
    verdicts = []
    with tempfile.TemporaryDirectory(prefix="panya-corpus-") as scratch:
        settings = Settings(data_dir=args.data_dir or Path(scratch), _env_file=None)
        with Archive(settings) as archive:
            ingest_path(archive, args.corpora, progress=False)
            for query in queries:
                page = archive.search(
                    query["query"], limit=10, mode=args.mode, include_restricted=query["kind"] == "restricted"
                )
                verdicts.append((query, judge(query, page)))
            typed = typing_rates(archive, queries, args.mode) if args.typing else {}
    print(f"{'kind':11} {'split':8} {'n':>3} {'S@1':>6} {'S@5':>6} {'pass':>6} {'median total':>13}")
    groups = defaultdict(list)
    for query, verdict in verdicts:
        for split in (query["split"], "all"):
            groups[(query["kind"], split)].append((query, verdict))
            if query["kind"] != "no_answer":
                groups[("answerable", split)].append((query, verdict))
    for (kind, split), rows in sorted(groups.items()):
        n = len(rows)
        ranks = [v["rank"] for _, v in rows]
        s1 = sum(r == 1 for r in ranks) / n
        s5 = sum(bool(r and r <= 5) for r in ranks) / n
        passed = sum(v["ok"] for _, v in rows) / n
        totals = [v["total"] for q, v in rows if q["kind"] != "no_answer"]
        median = statistics.median(totals) if totals else 0
        print(f"{kind:11} {split:8} {n:3d} {s1:6.3f} {s5:6.3f} {passed:6.3f} {median:13}")
    for way, (answered, unanswered) in typed.items():
        print(f"typed {way:24} pass {answered:.3f} (answerable)   no-answer {unanswered:.3f}")
    for query, verdict in verdicts:
        if not verdict["ok"]:
            extra = (
                f" got moment {verdict.get('moment')} wanted {query.get('moment')}"
                if query["kind"] == "moment"
                else ""
            )
            print(
                f"miss [{query['kind']}/{query['split']}] {query['query']!r}: rank {verdict['rank']}, total {verdict['total']}{extra}"
            )


TYPING = {
    "plain": lambda q: q,
    "with ?": lambda q: q + "?",
    "with a polite ending": lambda q: q + " ครับ",
    "with an emoji": lambda q: q + " 🙏",
    "a word at a time": lambda q: " ".join(q[a:b] for a, b in word_spans(q)),
    "a letter stretched": lambda q: q + q[-1] * 3 if "\u0e01" <= q[-1] <= "\u0e2e" else q,
}


def typing_rates(archive, queries: list[dict], mode: str) -> dict[str, tuple[float, float]]:
    """Per way of typing: the pass rate of the answerable queries and the no-answer rate."""
    rates = {}
    for way, typed in TYPING.items():
        passed = defaultdict(list)
        for query in queries:
            page = archive.search(
                typed(query["query"]), limit=10, mode=mode, include_restricted=query["kind"] == "restricted"
            )
            passed[query["kind"] == "no_answer"].append(judge(query, page)["ok"])
        rates[way] = (statistics.mean(passed[False]), statistics.mean(passed[True]))
    return rates


if __name__ == "__main__":
    main()
