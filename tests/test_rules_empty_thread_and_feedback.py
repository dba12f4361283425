"""The empty thread's placeholder ("No comments yet", "Noch keine Kommentare") and the
feedback ask under an article ("Was this article helpful?") are chrome in the ten
languages of the rule files; sentences with the same words are not (issue 15). Lines
written for these tests."""

from __future__ import annotations

import pytest

from cleaning.rules import classify_line

EMPTY_THREAD = [
    "No comments yet", "Be the first to comment", "Noch keine Kommentare",
    "Aucun commentaire", "Sin comentarios", "Nessun commento", "Nenhum comentário",
    "Nog geen reacties", "Brak komentarzy", "Нет комментариев", "Henüz yorum yok",
]  # fmt: skip
FEEDBACK = [
    "Was this article helpful?", "War dieser Artikel hilfreich?",
    "Schicken Sie uns Ihr Feedback!", "Cet article vous a-t-il été utile ?",
    "¿Te ha resultado útil este artículo?", "Questo articolo ti è stato utile?",
    "Este artigo foi útil?", "Was dit artikel nuttig?", "Czy ten artykuł był pomocny?",
    "Была ли эта статья полезной?", "Bu makale yararlı oldu mu?",
]  # fmt: skip
PROSE = [
    "No comments were made by the minister when she left the building on Friday.",
    "Sin comentarios adicionales, el ministro abandonó la sala de prensa.",
    "Was this article helpful to the court? The judge said it was not.",
    "Keine Kommentare gab es vom Trainer nach dem Spiel am Samstagabend.",
]


@pytest.mark.parametrize("line", EMPTY_THREAD)
def test_the_empty_thread_placeholder_is_comment_chrome(line: str) -> None:
    assert classify_line(line) == "comment-chrome"


@pytest.mark.parametrize("line", FEEDBACK)
def test_the_feedback_ask_under_the_article_is_navigation_chrome(line: str) -> None:
    assert classify_line(line) == "nav"


@pytest.mark.parametrize("line", PROSE)
def test_sentences_with_the_same_words_stay(line: str) -> None:
    assert classify_line(line) is None
