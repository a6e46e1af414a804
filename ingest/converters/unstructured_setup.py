"""unstructured, made safe offline.

On every ``partition()`` unstructured loads spaCy's ``en_core_web_sm`` and downloads it if
missing. Its sentence logic only needs a tokenizer and sentence boundaries, so a blank Thai
pipeline with a sentencizer replaces the loader, once per process.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def offline_unstructured() -> None:
    import spacy
    import unstructured.nlp.tokenize as unstructured_tokenize

    nlp = spacy.blank("th")
    nlp.add_pipe("sentencizer")
    unstructured_tokenize._get_nlp = lambda: nlp


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
