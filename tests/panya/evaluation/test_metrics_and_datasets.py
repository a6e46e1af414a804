import json
import zipfile

import pytest

from panya.evaluation.datasets import load_task, passage_id
from panya.evaluation.metrics import evaluate


def test_metrics_on_a_known_run():
    qrels = {"q1": {"d1": 1}, "q2": {"d2": 1}, "q3": {"d3": 1}}
    run = {"q1": {"d1": 3.0, "x": 1.0}, "q2": {"x": 2.0, "y": 1.5, "d2": 1.0}}  # q3 missing = miss
    metrics = evaluate(run, qrels, ks=(1, 3))
    assert metrics["R@1"] == round(1 / 3, 4)
    assert metrics["R@3"] == round(2 / 3, 4)
    assert metrics["MRR@10"] == round((1 + 1 / 3) / 3, 4)


def test_evaluate_does_not_mutate_its_inputs():
    qrels, run = {"q": {"d": 1}}, {"q": {"d": 0.5, "e": 0.9}}
    evaluate(run, qrels)
    assert run == {"q": {"d": 0.5, "e": 0.9}} and qrels == {"q": {"d": 1}}


def test_iapp_zip_passages_from_all_splits_queries_from_test(tmp_path):
    rows = {
        "train": [{"context": "ปลาร้าอีสาน", "question": "ก?"}, {"context": "ผ้าไหมสุรินทร์", "question": "ข?"}],
        "test": [{"question_id": "t1", "context": "ผ้าไหมสุรินทร์", "question": "ผ้าไหมมาจากไหน"}],
    }
    path = tmp_path / "data.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for split, items in rows.items():
            archive.writestr(
                f"data/{split}.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in items)
            )
    task = load_task(path)
    assert len(task.corpus) == 2  # the shared context is one passage
    assert task.queries == {"t1": "ผ้าไหมมาจากไหน"}
    assert task.qrels == {"t1": {passage_id("ผ้าไหมสุรินทร์"): 1}}
    # calibration asks another split's questions of the same passages, never the test questions
    train = load_task(path, "train")
    assert train.corpus == task.corpus
    assert sorted(train.queries.values()) == ["ก?", "ข?"]
    assert passage_id("ปลาร้าอีสาน") in {pid for qrel in train.qrels.values() for pid in qrel}
    with pytest.raises(ValueError, match="no valid split .* it has test, train"):
        load_task(path, "valid")


def test_unknown_dataset_shapes_are_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{}")
    with pytest.raises(ValueError, match="SQuAD"):
        load_task(path)
    with pytest.raises(FileNotFoundError):
        load_task(tmp_path / "missing.zip")
