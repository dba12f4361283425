"""The "more on <topic>" heading over the list of stories that follows an article, in
the ten languages of the rule files (issue 15); prose that opens with the same words
stays. Examples are written for these tests (not taken from any page)."""

from __future__ import annotations

import pytest

from cleaning.rules import classify_line
from cleaning.text import clean_text

HEADINGS = {
    "en": ["More on Politics", "More about this topic", "Other Opinion Columns", "Next Up In"],
    "de": ["Mehr lesen über", "Weitere Themen", "Mehr Themen:", "Mehr zur Landtagswahl"],
    "fr": ["Plus sur ce sujet", "Autres articles", "En savoir plus sur la réforme"],
    "es": ["Más sobre Política", "Otras noticias", "Más artículos"],
    "it": ["Altro su Roma", "Altri articoli", "Di più su questo tema"],
    "pt": ["Mais sobre Economia", "Outras notícias", "Outros artigos"],
    "nl": ["Meer artikelen", "Andere artikelen", "Meer nieuws over Gent"],
    "pl": ["Więcej o polityce", "Inne artykuły", "Więcej na temat wyborów"],
    "ru": ["Больше о политике", "Другие статьи", "Ещё о выборах"],
    "tr": ["Daha fazlası", "Diğer yazılar", "Konuyla ilgili"],
}
PROSE = {
    "en": "More on the budget will be said by the council when it meets again in spring.",
    "de": "Mehr zur Landtagswahl wollte der Minister am Dienstag noch nicht sagen, hieß es.",
    "es": "Más sobre el asunto dirá el alcalde cuando se reúna el pleno la próxima semana.",
    "it": "Altro su questa vicenda non è stato detto dal sindaco durante la conferenza stampa.",
}


@pytest.mark.parametrize(
    "heading", [h for headings in HEADINGS.values() for h in headings], ids=lambda h: h
)
def test_a_more_on_topic_heading_is_related_chrome(heading: str) -> None:
    assert classify_line(heading) == "related"


@pytest.mark.parametrize("language", sorted(PROSE))
def test_prose_opening_with_the_same_words_stays(language: str) -> None:
    assert classify_line(PROSE[language]) is None


ARTICLE = [
    "The regional rail operator will run two extra trains an hour between the coast and "
    "the city from the first of May, after a year in which commuters complained of "
    "carriages so full that passengers were left standing on the platforms.",
    "The new trains were bought second hand from an operator in the north and have been "
    "refitted with wider doors and more room for bicycles, which the operator says will "
    "speed up boarding at the busiest stations along the line.",
    "Fares will stay the same until the end of the year, but the operator warned that the "
    "price of a season ticket would be reviewed in the autumn, once it knows how many "
    "more passengers the extra trains have brought in.",
    "Passenger groups welcomed the news but said the line still needed a later last train "
    "on weekdays, since the final service now leaves the city before eleven and many "
    "people who work evening shifts have no way of getting home without a car.",
]
TEASERS = [
    ("Harbour", "The harbour master has asked owners of small boats to move them before "
     "the dredging of the inner basin begins next month."),
    ("Schools", "Two village schools in the valley will share a head teacher from the "
     "autumn, the county's education office confirmed this week."),
    ("Weather", "Heavy rain is expected across the hills on Sunday, and the river "
     "authority has warned of flooding on the low road by the mill."),
]  # fmt: skip


def test_the_stories_under_a_more_on_topic_heading_after_the_article_are_cut() -> None:
    tail = [line for tag, summary in TEASERS for line in (tag, summary)]
    page = "\n".join(["Transport", "Extra trains on the coast line from May", *ARTICLE,
                      "More on Transport", *tail, "Imprint", "Privacy"])  # fmt: skip
    result = clean_text(page)
    for paragraph in ARTICLE:
        assert paragraph in result.paragraphs
    for _, summary in TEASERS:
        assert summary not in result.paragraphs
