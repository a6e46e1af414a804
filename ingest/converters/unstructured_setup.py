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

#: unstructured's own value for "detect no language". Panya reads only the elements' text, and the
#: detector (langdetect) costs ~1.5 s to load its profiles, then runs a randomised character n-gram
#: guess over every whole document: time the GIL is held while a server is answering searches.
SKIP_LANGUAGES = [""]


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


def load_unstructured() -> None:
    """Import the partitioners Panya uses and set them up offline: ~2 s of imports (and of the GIL)
    that the first file converted in a process would otherwise pay (a server's first upload)."""
    import unstructured.partition.docx  # noqa: F401
    import unstructured.partition.html  # noqa: F401

    offline_unstructured()


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
