"""The notice that the reader's browser is too old for the site is chrome in the
languages of the rule files, and so is a German support ask for "this form of
journalism"; a sentence about browsers or journalism is not (issue 15). Lines written
for these tests."""

from __future__ import annotations

import pytest

from cleaning.rules import classify_line

NOTICES = [
    "Thanks for visiting. You are using a browser version with limited support for CSS.",
    "You are using an outdated browser that this site no longer supports.",
    "Sie verwenden einen veralteten Browser. Bitte aktualisieren Sie ihn.",
    "Vous utilisez un navigateur obsolète, mettez-le à jour.",
    "Estás usando un navegador obsoleto.",
    "Stai usando un browser obsoleto.",
    "U gebruikt een verouderde browser.",
    "Você está usando um navegador desatualizado.",
    "Korzystasz z przestarzałej przeglądarki.",
]
PROSE = [
    "Most readers of the survey were using a browser on their phone, not a computer.",
    "Sie verwenden einen großen Teil ihres Einkommens für die Miete.",
    "Der Verlag will diese Form des Journalismus auch in Zukunft pflegen.",
]


@pytest.mark.parametrize("line", NOTICES)
def test_an_outdated_browser_notice_is_chrome(line: str) -> None:
    assert classify_line(line) == "nav"


def test_a_support_ask_for_this_form_of_journalism_is_a_donation_ask() -> None:
    line = "Wenn Ihnen der Artikel gefallen hat: Unterstützen Sie diese Form des Journalismus."
    assert classify_line(line) == "donation"


@pytest.mark.parametrize("line", PROSE)
def test_sentences_about_browsers_and_journalism_are_not(line: str) -> None:
    assert classify_line(line) is None
