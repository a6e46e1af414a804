"""Ranking metrics over plain dicts; inputs are never mutated.

>>> qrels = {"q1": {"d1": 1}, "q2": {"d9": 1}}
>>> run = {"q1": {"d1": 0.9, "d2": 0.5}, "q2": {"d3": 0.8, "d9": 0.7}}
>>> evaluate(run, qrels, ks=(1, 5))
{'R@1': 0.5, 'R@5': 1.0, 'MRR@10': 0.75, 'nDCG@10': 0.8155}
"""

from __future__ import annotations

import math

Run = dict[str, dict[str, float]]
Qrels = dict[str, dict[str, int]]


def ranked(scores: dict[str, float]) -> list[str]:
    return sorted(scores, key=lambda doc_id: (-scores[doc_id], doc_id))


def evaluate(run: Run, qrels: Qrels, ks: tuple[int, ...] = (1, 5, 10), depth: int = 10) -> dict[str, float]:
    """Recall@k, MRR@depth and nDCG@depth averaged over every query in ``qrels``
    (a query missing from ``run`` counts as a miss)."""
    totals = {f"R@{k}": 0.0 for k in ks} | {f"MRR@{depth}": 0.0, f"nDCG@{depth}": 0.0}
    for qid, relevant in qrels.items():
        ranking = ranked(run.get(qid, {}))
        wanted = {doc_id for doc_id, grade in relevant.items() if grade > 0}
        for k in ks:
            totals[f"R@{k}"] += len(wanted & set(ranking[:k])) / len(wanted)
        first = next((i for i, doc_id in enumerate(ranking[:depth]) if doc_id in wanted), None)
        totals[f"MRR@{depth}"] += 0.0 if first is None else 1.0 / (first + 1)
        dcg = sum(relevant.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranking[:depth]))
        ideal = sorted(relevant.values(), reverse=True)[:depth]
        totals[f"nDCG@{depth}"] += dcg / sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return {name: round(value / max(len(qrels), 1), 4) for name, value in totals.items()}
