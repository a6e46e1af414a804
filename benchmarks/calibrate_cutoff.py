"""Calibrate the relevance cut-off on the TUNE half of corpora/queries.jsonl; report the HOLDOUT half.

    .venv/bin/python benchmarks/calibrate_cutoff.py [--data-dir DIR] [--iapp ../shared/datasets/iapp-wiki-qa/data.zip [--iapp-index DIR]] [--write]

For every query it takes the candidate sources with their evidence (``query.relevance``), fits
a logistic model (scikit-learn, class-balanced) on the tune half's top-15 candidates (a
candidate is positive when it is an expected source), and prints, for the shipped thresholds,
answerable success@5, the no-answer rate (``total == 0``) and the median total, on the tune and
held-out halves. With ``--iapp``, Wikipedia questions from iApp's test split are asked of the
community archive too: nearly all are out of its domain, so their no-answer rate is a second,
untuned check. With ``--iapp`` and ``--iapp-index DIR`` (an index kept by ``panya eval
--index-dir DIR``), questions of iApp's *train* split, which the reported test figures never
see, are asked of that index: what the cut-off costs answerable questions, as R@1 and MRR@10
over the candidates with the cut-off off and on; those questions also fit the evidence order of the
first five (``query.relevance.Order``: the best R@1 over a grid of its weights), and they and the
tune half's no-answer queries are printed for each bar a question asked in the archive's own words
may be given (``RelevanceCutoff.answerable_known``). ``--write`` saves
the fitted model as ``query/data/relevance_model.json`` (without ``--iapp-index``, with the
shipped order).
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from panya.archive import Archive
from panya.ingestion import ingest_path
from panya.settings import Settings, apply_offline_environment
from query.filters import search_filters
from query.planner import plan_search
from query.relevance import FEATURES, MODEL_PATH, Order, RelevanceCutoff, RelevanceModel
from query.request import SearchRequest

REPO = Path(__file__).resolve().parent.parent
FIT_DEPTH = 15  # candidates per query the model learns from
REGULARISATION = 100.0


def collect(archive: Archive, queries: list[dict]) -> list[dict]:
    rows = []
    for query in queries:
        plan = plan_search(SearchRequest(q=query["query"]))
        retrieved = archive.retrieve(
            plan.request,
            include_restricted=True,
            text=plan.text,
            same=plan.same,
            places=plan.understood.places,
        )
        known = archive._knows_words(retrieved.query, plan.same, search_filters(plan.request, True))()
        candidates = [(r.source_id, r.evidence) for r in retrieved.candidates]
        rows.append({**query, "candidates": candidates, "known": known})
    return rows


def ordered(candidates: list[tuple], order: Order) -> list[tuple]:
    """The candidates as a search orders them: the first few by their evidence."""
    return [candidates[at] for at in order.permutation([evidence for _, evidence in candidates])]


def kept(row: dict, cutoff: RelevanceCutoff) -> list[str]:
    """What a search keeps of a row's candidates (``RelevanceCutoff.apply``): ``known``, whether the
    archive holds every word the question asks, was read when the row was collected."""
    candidates = ordered(row["candidates"], cutoff.model.order)
    probabilities = [cutoff.model.probability(evidence) for _, evidence in candidates]
    if not probabilities or not cutoff.answers(max(probabilities), lambda: row["known"]):
        return []
    return [sid for (sid, _), p in zip(candidates, probabilities, strict=True) if p >= cutoff.keep]


def fit(rows: list[dict], embedder: str) -> RelevanceModel:
    from sklearn.linear_model import LogisticRegression

    features, labels = [], []
    for row in rows:
        for source_id, evidence in row["candidates"][:FIT_DEPTH]:
            features.append([evidence.features()[name] for name in FEATURES])
            labels.append(int(source_id in row["expected"]))
    model = LogisticRegression(C=REGULARISATION, max_iter=5000, class_weight="balanced").fit(features, labels)
    weights = dict(zip(FEATURES, (round(float(w), 4) for w in model.coef_[0]), strict=True))
    return RelevanceModel(weights, round(float(model.intercept_[0]), 4), embedder)


def measure(rows: list[dict], cutoff: RelevanceCutoff) -> dict:
    answered, empty, totals = [], [], []
    for row in rows:
        found = kept(row, cutoff)
        if row["expected"]:
            answered.append(bool(set(found[:5]) & set(row["expected"])))
            totals.append(len(found))
        else:
            empty.append(not found)
    return {
        "success@5": sum(answered) / max(len(answered), 1),
        "no_answer": sum(empty) / max(len(empty), 1),
        "median_total": statistics.median(totals) if totals else 0,
    }


def answered(rows: list[dict], cutoff: RelevanceCutoff | None, order: Order | None = None) -> dict:
    """R@1 and MRR@10 of answerable questions over their candidates, with ``cutoff`` (None: off;
    then in the hybrid ranking's order, or in ``order``)."""
    first = reciprocal = 0.0
    for row in rows:
        found = (
            kept(row, cutoff)
            if cutoff
            else [sid for sid, _ in ordered(row["candidates"], order or Order(depth=0))]
        )
        rank = next((at for at, sid in enumerate(found[:10], start=1) if sid in row["expected"]), None)
        first += rank == 1
        reciprocal += 1 / rank if rank else 0.0
    return {"R@1": first / max(len(rows), 1), "MRR@10": reciprocal / max(len(rows), 1)}


ORDER_GRID = {
    "dense": (0.0, 1.0, 2.0, 3.0, 4.0, 6.0),
    "lead": (0.0, 1.0, 2.0, 4.0, 6.0, 8.0),
    "place": (0.02, 0.04, 0.0667, 0.1, 0.15),
}


def fit_order(rows: list[dict]) -> Order:
    """The evidence order with the best R@1 (then MRR@10) on answerable questions (iApp train)."""
    best, found = (-1.0, -1.0), Order(depth=0)
    for dense, lead, place in itertools.product(*ORDER_GRID.values()):
        order = Order(dense, lead, place)
        figures = answered(rows, None, order)
        if (figures["R@1"], figures["MRR@10"]) > best:
            best, found = (figures["R@1"], figures["MRR@10"]), order
    return found


def in_domain(index_dir: Path, dataset: Path, count: int) -> list[dict]:
    """iApp train questions asked of an iApp index, each with the passage that answers it."""
    from panya.evaluation.datasets import load_task

    task = load_task(dataset, "train")
    settings = Settings(data_dir=index_dir, qdrant_url=None, _env_file=None)
    asked = list(task.queries.items())[:count]
    with Archive(settings) as archive:
        return collect(archive, [{"query": q, "expected": list(task.qrels[qid])} for qid, q in asked])


KNOWN_GRID = (0.6, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15)


def shipped_cutoff(model: RelevanceModel, settings: Settings) -> RelevanceCutoff:
    return RelevanceCutoff(
        model,
        answerable=settings.cutoff_answerable,
        keep=settings.cutoff_keep,
        keep_english=settings.cutoff_keep_english,
        answerable_known=settings.cutoff_answerable_known,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, help="reuse (or create) this data dir")
    parser.add_argument("--iapp", type=Path, help="iApp data.zip: its questions as out-of-domain checks")
    parser.add_argument("--iapp-questions", type=int, default=300)
    parser.add_argument("--iapp-index", type=Path, help="an iApp index kept by `panya eval --index-dir`")
    parser.add_argument("--iapp-train-questions", type=int, default=4000)
    parser.add_argument("--write", action="store_true", help="save the fitted model as the shipped one")
    args = parser.parse_args()
    apply_offline_environment()
    queries = [json.loads(line) for line in (REPO / "corpora/queries.jsonl").read_text().splitlines() if line]
    with tempfile.TemporaryDirectory(prefix="panya-calibrate-") as scratch:
        settings = Settings(data_dir=args.data_dir or Path(scratch), _env_file=None)
        with Archive(settings) as archive:
            started = time.perf_counter()
            embedder = archive.info.model
            ingest_path(archive, REPO / "corpora", progress=False)
            print(f"ingested in {time.perf_counter() - started:.0f} s", flush=True)
            started = time.perf_counter()
            tune = collect(archive, [q for q in queries if q["split"] == "tune"])
            holdout = collect(archive, [q for q in queries if q["split"] == "holdout"])
            iapp = []
            if args.iapp:
                from panya.evaluation.datasets import load_task

                task = load_task(args.iapp)
                questions = list(task.queries.values())[: args.iapp_questions]
                iapp = collect(archive, [{"query": q, "expected": []} for q in questions])
            print(
                f"{len(tune) + len(holdout) + len(iapp)} queries in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
    train = (
        in_domain(args.iapp_index, args.iapp, args.iapp_train_questions)
        if args.iapp and args.iapp_index
        else []
    )
    shipped = RelevanceModel.load()
    # the evidence order is fitted on iApp train questions; without them the shipped one is kept
    fitted = replace(fit(tune, embedder), order=fit_order(train) if train else shipped.order)
    print(f"{'model':10} {'split':8} {'S@5':>6} {'no-ans':>7} {'median total':>13}")
    for name, model in (("shipped", shipped), ("fitted", fitted)):
        cutoff = shipped_cutoff(model, settings)
        for split, rows in (("tune", tune), ("holdout", holdout)) + ((("iapp-ood", iapp),) if iapp else ()):
            f = measure(rows, cutoff)
            print(f"{name:10} {split:8} {f['success@5']:6.3f} {f['no_answer']:7.3f} {f['median_total']:13}")
    if train:
        off = answered(train, None)
        print(
            f"iApp train ({len(train)} questions), hybrid order, cut-off off: R@1 {off['R@1']:.4f}, MRR@10 {off['MRR@10']:.4f}"
        )
        for name, model in (("shipped", shipped), ("fitted", fitted)):
            off = answered(train, None, model.order)
            print(f"  {name:8} evidence order, cut-off off: R@1 {off['R@1']:.4f}, MRR@10 {off['MRR@10']:.4f}")
        for name, model in (("shipped", shipped), ("fitted", fitted)):
            on = answered(train, shipped_cutoff(model, settings))
            print(f"  {name:8} cut-off on: R@1 {on['R@1']:.4f}, MRR@10 {on['MRR@10']:.4f}")
    # the bar for a question in the archive's own words: what it gives answerable questions (iApp
    # train) and what it costs the no-answer queries of the tune half
    for known in KNOWN_GRID:
        cutoff = replace(shipped_cutoff(shipped, settings), answerable_known=known)
        line = f"answerable_known {known:.2f}: tune no-answer {measure(tune, cutoff)['no_answer']:.3f}"
        if train:
            on = answered(train, cutoff)
            line += f", iApp train R@1 {on['R@1']:.4f}, MRR@10 {on['MRR@10']:.4f}"
        print(line)
    print("fitted:", fitted.as_json())
    if args.write:
        MODEL_PATH.write_text(fitted.as_json())
        print(f"written to {MODEL_PATH}")


if __name__ == "__main__":
    main()
