"""QA data sets as retrieval tasks: every distinct context is a passage, every question a query
whose one relevant passage is its own context.

- iApp Wiki QA (``data.zip`` or a folder/``.jsonl`` with ``context``, ``question``): passages from
  all splits, queries from the test split (or another: ``split="valid"`` to calibrate on questions
  the reported figures never see).
- SQuAD-format JSON (XQuAD, Thai QA sets in that shape): every paragraph and question.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class RetrievalTask:
    corpus: dict[str, str]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def load_task(path: Path, split: str = "test") -> RetrievalTask:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such data set")
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            splits = {
                Path(name).stem: archive.read(name).decode("utf-8")
                for name in archive.namelist()
                if name.endswith(".jsonl")
            }
        return _from_qa_splits(splits, path, split)
    if path.is_dir():
        return _from_qa_splits({p.stem: p.read_text("utf-8") for p in path.glob("*.jsonl")}, path, split)
    if path.suffix == ".jsonl":
        return _from_qa_splits({split: path.read_text("utf-8")}, path, split)
    if path.suffix == ".json":
        return _from_squad(json.loads(path.read_text("utf-8")), path)
    raise ValueError(f"{path}: expected the iApp .zip/.jsonl or a SQuAD-format .json file")


def passage_id(context: str) -> str:
    return "p-" + hashlib.sha1(context.encode()).hexdigest()[:12]


def _from_qa_splits(splits: dict[str, str], path: Path, query_split: str = "test") -> RetrievalTask:
    if query_split not in splits:
        raise ValueError(
            f"{path}: no {query_split} split ({query_split}.jsonl) to take queries from; "
            f"it has {', '.join(sorted(splits)) or 'none'}"
        )
    corpus, queries, qrels = {}, {}, {}
    for split, text in splits.items():
        for number, line in enumerate(io.StringIO(text), start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            if "context" not in row or "question" not in row:
                raise ValueError(f"{path} ({split}, line {number}): rows need 'context' and 'question'")
            pid = passage_id(row["context"])
            corpus[pid] = row["context"]
            if split == query_split:
                qid = row.get("question_id") or f"{split}-{number}"
                queries[qid] = row["question"]
                qrels[qid] = {pid: 1}
    return RetrievalTask(corpus, queries, qrels)


def _from_squad(data: dict, path: Path) -> RetrievalTask:
    if "data" not in data:
        raise ValueError(f"{path}: not SQuAD format (no top-level 'data')")
    corpus, queries, qrels = {}, {}, {}
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            pid = passage_id(paragraph["context"])
            corpus[pid] = paragraph["context"]
            for qa in paragraph["qas"]:
                queries[qa["id"]] = qa["question"]
                qrels[qa["id"]] = {pid: 1}
    return RetrievalTask(corpus, queries, qrels)
