"""A caption's label on a line of its own ("Legende:", "Légende :", "Caption:") and the
caption the flattening broke off under it are dropped inside the article, in the
languages of the rule files (issue 15). Pages written for these tests."""

from __future__ import annotations

import pytest

from cleaning.text import clean_text

BODY = [
    "The harbour authority has approved a plan to dredge the old channel next spring, "
    "ending a dispute that has kept larger fishing boats out of the port for six years.",
    "Skippers had complained that the silt left by two winter floods made the channel too "
    "shallow at low tide, forcing them to land their catch in the town across the bay.",
    "The work will cost about four million and will be paid for in equal parts by the "
    "region, the port's owners and a fund set up by the fishing cooperative last year.",
]
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
