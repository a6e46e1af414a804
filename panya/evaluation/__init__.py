"""Retrieval evaluation in plain data: corpus {doc_id: text}, queries {qid: text},
qrels {qid: {doc_id: grade}}, run {qid: {doc_id: score}} (the BEIR/pyserini convention)."""
