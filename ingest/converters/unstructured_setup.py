"""unstructured, made safe offline.

On every ``partition()`` unstructured loads spaCy's ``en_core_web_sm`` and downloads it if
missing. Its sentence logic only needs a tokenizer and sentence boundaries, so a blank Thai
pipeline with a sentencizer replaces the loader, once per process. Its words come from nlpo3
(PyThaiNLP's dictionary, compiled): unstructured tokenizes each whole element to classify it,
and the default newmm took 30 s on one 400,000-character paragraph, nlpo3 under 2 s.
"""

from __future__ import annotations

from functools import lru_cache, partial
from typing import Any


@lru_cache(maxsize=1)
def offline_unstructured() -> None:
    import spacy
    import unstructured.nlp.tokenize as unstructured_tokenize
    from pythainlp.tokenize import word_tokenize

    nlp = spacy.blank("th")
    # same dictionary as PyThaiNLP's default newmm, ~10x faster: unstructured tokenizes whole elements
    tokenizer: Any = nlp.tokenizer  # spaCy's ThaiTokenizer, which calls PyThaiNLP
    tokenizer.word_tokenize = partial(word_tokenize, engine="nlpo3")
    nlp.add_pipe("sentencizer")
    unstructured_tokenize._get_nlp = lambda: nlp  # type: ignore[assignment]


def elements_text(elements) -> tuple[str, str | None]:
    """Plain text of partitioned elements (one per line) and the first title, if any."""
    lines, title = [], None
    for element in elements:
        text = (element.text or "").strip()
        if not text:
            continue
        if title is None and element.category == "Title":
            title = text
        lines.append(text)
    return "\n".join(lines), title
