"""The toggles of a box that folds open and shut (a person's profile, a fact box) are
chrome in every language of the rule files (issue 15). Pages written for these tests."""

from __future__ import annotations

import pytest

from cleaning.text import clean_text

PROSE = (
    "Die Stadtwerke wollen die alten Leitungen im Norden der Stadt bis zum Herbst ersetzen, "
    "sagte die Sprecherin am Montag, und die Arbeiten sollen in den Ferien beginnen, wenn "
    "weniger Verkehr auf den Straßen unterwegs ist und die Schulen geschlossen sind."
)
PROSE_2 = (
    "Anwohnerinnen und Anwohner werden vorher mit einem Brief informiert, in dem die "
    "Sperrungen für jede Straße einzeln aufgeführt sind und eine Telefonnummer für Fragen "
    "zu den Arbeiten genannt wird, die auch am Wochenende erreichbar ist."
)


@pytest.mark.parametrize(
    "toggles",
    [
        ("Personen-Box aufklappen", "Personen-Box zuklappen"),
        ("Expand", "Collapse"),
        ("Déplier", "Replier"),
        ("Desplegar", "Plegar"),
        ("Espandi", "Comprimi"),
        ("Uitklappen", "Inklappen"),
        ("Rozwiń", "Zwiń"),
        ("Expandir", "Recolher"),
        ("Развернуть", "Свернуть"),
        ("Genişlet", "Daralt"),
    ],
)
def test_a_fold_toggle_inside_the_article_is_dropped(toggles: tuple[str, str]) -> None:
    page = "\n".join(["Startseite", "Leitungen werden erneuert", PROSE, *toggles, PROSE_2])
    result = clean_text(page)
    assert PROSE in result.body and PROSE_2 in result.body
    assert not any(toggle in result.paragraphs for toggle in toggles)
