from __future__ import annotations

from haystack import component

from index.thai_text import normalize


@component
class ThaiTextNormalizer:
    """First step of every query: the same Thai rules the documents went through.

    >>> ThaiTextNormalizer().run("ผ้าไหม ๒ ผืน")["text"]
    'ผ้าไหม 2 ผืน'
    """

    @component.output_types(text=str)
    def run(self, text: str) -> dict[str, str]:
        return {"text": normalize(text)}
