"""A word or two that a rule claims ("Response", "Facebook") printed on a line of its own
in the middle of a sentence, where get_text broke the sentence at an inline element, is
the article's word; the same word set apart by a blank line is still a widget's label
(issue 15). Lines written for these tests."""

from __future__ import annotations

from cleaning.text import clean_text
from tests.test_text_listings import page


def test_a_rule_word_that_breaks_a_sentence_at_an_inline_element_stays() -> None:
    # get_text puts the inline code name "Response" on a line of its own, mid-sentence
    broken = ["Support for the interface can be detected by checking for Headers, Request,",
              "Response", "or fetch on the window or in the scope of a worker."]  # fmt: skip
    result = clean_text(page(*broken))
    assert "Response" in result.paragraphs


def test_a_widget_label_over_its_own_line_is_still_chrome() -> None:
    widget = ["Support for the interface can be detected by checking for Headers, Request,", "",
              "Response", "or fetch on the window or in the scope of a worker."]  # fmt: skip
    result = clean_text(page(*widget))
    assert "Response" not in result.paragraphs
