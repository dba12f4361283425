"""The notice that a box needs JavaScript, and the article toolbar's read-aloud, print
and reading-time buttons, are navigation chrome in the ten languages of the rule files;
a sentence about JavaScript or about listening is not (issue 15). Lines written for
these tests."""

from __future__ import annotations

import pytest

from cleaning.rules import classify_line

SCRIPT_NOTICES = [
    "Please enable JavaScript to view this content.",
    "This slideshow requires JavaScript.",
    "Bitte aktivieren Sie JavaScript, um dieses Video zu sehen.",
    "Veuillez activer JavaScript pour afficher ce contenu.",
    "Habilita JavaScript para ver este contenido.",
    "Attiva JavaScript per vedere la galleria.",
    "Ative o JavaScript para ver este conteúdo.",
    "Schakel JavaScript in om deze video te bekijken.",
    "Włącz JavaScript, aby zobaczyć tę treść.",
    "Включите JavaScript, чтобы увидеть это видео.",
    "Bu içeriği görmek için JavaScript'i etkinleştirin.",
]
TOOLBAR = [
    "Print article",
    "Artikel vorlesen",
    "Seite drucken",
    "Lesedauer: 4 Minuten",
    "Écouter cet article",
    "Escuchar el artículo",
    "Ascolta l'articolo",
    "Ouvir artigo",
    "Voorlezen",
    "Posłuchaj artykułu",
    "Слушать статью",
    "Haberi dinle",
]
PROSE = [
    "When JavaScript is disabled, the booking form still sends the request by email.",
    "The new browser engine runs JavaScript twice as fast as the one it replaces.",
    "Listeners can hear the whole interview on the station's website from Monday.",
    "Der Drucker in der Bibliothek ist seit Wochen kaputt, sagen die Studierenden.",
]


@pytest.mark.parametrize("line", SCRIPT_NOTICES)
def test_a_needs_javascript_notice_is_navigation_chrome(line: str) -> None:
    assert classify_line(line) == "nav"


@pytest.mark.parametrize("line", TOOLBAR)
def test_read_aloud_print_and_reading_time_buttons_are_navigation_chrome(line: str) -> None:
    assert classify_line(line) == "nav"


@pytest.mark.parametrize("line", PROSE)
def test_sentences_about_scripts_printing_or_listening_stay(line: str) -> None:
    assert classify_line(line) is None
