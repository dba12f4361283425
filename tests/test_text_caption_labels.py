"""A caption's label on a line of its own ("Legende:", "Légende :", "Caption:") and the
caption the flattening broke off under it are dropped inside the article, in the
languages of the rule files (issue 15). Pages written for these tests."""

from __future__ import annotations

import pytest

from cleaning.text import clean_text
from tests.text_pages import HARBOUR_STORY

BODY = HARBOUR_STORY
CAPTION = "The harbour master on the quay beside the silted channel, seen at low tide."


@pytest.mark.parametrize(
    "label",
    ["Caption:", "Legende:", "Légende :", "Leyenda:", "Didascalia:", "Legenda:",
     "Bijschrift:", "Podpis:", "Подпись:", "Açıklama:"],
)  # fmt: skip
def test_a_caption_label_and_its_caption_are_dropped(label: str) -> None:
    page = "\n".join(["Harbour news", "Channel to be dredged next spring", BODY[0], label,
                      CAPTION, *BODY[1:], "Contact", "Imprint"])  # fmt: skip
    result = clean_text(page)
    assert label not in result.paragraphs
    assert CAPTION not in result.paragraphs
    for paragraph in BODY:
        assert paragraph in result.paragraphs
