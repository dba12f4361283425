"""The caption of the lead picture, a short line right over its photo credit as the
first prose of the body, is dropped in any language; a longer lede over a credit, and a
standfirst over an agency's name and a date stamp, stay (issue 15). Pages written for
these tests."""

from __future__ import annotations

import pytest

from cleaning.text import clean_text
from tests.text_pages import HARBOUR_STORY

BODY = HARBOUR_STORY


def page(*head: str) -> str:
    return "\n".join(["Harbour news", "Channel to be dredged next spring", *head, *BODY,
                      "Contact", "Imprint"])  # fmt: skip


@pytest.mark.parametrize(
    ("caption", "credit"),
    [
        ("Fishing boats wait for the tide in the old harbour on Tuesday morning.",
         "Photo: Jane Roe/AFP"),
        ("Fischerboote warten am Dienstagmorgen im alten Hafen von Husum auf die nächste Flut.",
         "Foto: dpa"),
        ("Des bateaux de pêche attendent la marée haute dans le vieux port de Concarneau, mardi.",
         "AFP"),
    ],
)  # fmt: skip
def test_the_lead_pictures_caption_over_its_credit_is_dropped(caption: str, credit: str) -> None:
    result = clean_text(page(caption, credit))
    assert caption not in result.paragraphs
    for paragraph in BODY:
        assert paragraph in result.paragraphs


def test_a_lede_longer_than_a_caption_over_a_credit_stays() -> None:
    lede = (
        "After six years of complaints from skippers, hauliers and the fish market, the "
        "harbour authority has finally agreed to clear the old channel, and the work "
        "will start as soon as the winter storms are over."
    )
    result = clean_text(page(lede, "Photo: Jane Roe/AFP"))
    assert lede in result.paragraphs


def test_a_standfirst_over_an_agency_and_a_date_stamp_stays() -> None:
    standfirst = "Boats have been unable to use the old channel at low tide for six years."
    result = clean_text(page(standfirst, "dpa", "25.10.2025 - 15:26 Uhr"))
    assert standfirst in result.paragraphs
