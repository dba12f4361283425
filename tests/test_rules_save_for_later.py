"""The save-for-later / bookmark button and its confirmation are share-bar chrome in the
ten languages of the rule files; a sentence that starts with "Save" is not (issue 15).
Lines written for these tests."""

from __future__ import annotations

import pytest

from cleaning.rules import classify_line

BUTTONS = [
    "Save for later", "Bookmark this article", "Story saved",
    "You can find this story in My Bookmarks.", "Später lesen", "Zur Merkliste hinzufügen",
    "Lire plus tard", "Guardar artículo", "Leggi dopo", "Ler depois", "Later lezen",
    "Przeczytaj później", "Читать позже", "Sonra oku",
]  # fmt: skip
PROSE = [
    "Save the date: the harbour festival opens on the third of May this year.",
    "Später lesen die Kinder der Klasse das Buch gemeinsam im Park vor.",
    "Guardar silencio fue la respuesta del alcalde ante las preguntas.",
]


@pytest.mark.parametrize("line", BUTTONS)
def test_a_save_for_later_button_is_share_bar_chrome(line: str) -> None:
    assert classify_line(line) == "share"


@pytest.mark.parametrize("line", PROSE)
def test_a_sentence_starting_with_save_stays(line: str) -> None:
    assert classify_line(line) is None
