"""Affiliate disclosures and the browser's push-notification prompt are chrome in the
languages of the rule files; ordinary sentences about buying or sending are not
(issue 15). Lines written for these tests."""

from __future__ import annotations

import pytest

from cleaning.rules import classify_line
from cleaning.text import clean_text

DISCLOSURES = [
    "When you purchase through links on our site, we may earn an affiliate commission.",
    "We may receive a small commission if you buy something we recommend.",
    "Nous pouvons percevoir une commission sur les achats réalisés via ces liens.",
    "Podemos recibir una comisión por las compras hechas con estos enlaces.",
    "Potremmo ricevere una commissione sugli acquisti fatti con questi link.",
    "Via deze links ontvangen wij mogelijk een kleine commissie.",
    "Podemos receber uma comissão pelas compras feitas através destes links.",
    "Za zakupy przez te linki możemy otrzymać prowizję.",
]
PROMPTS = [
    "The Daily Planet would like to send you push notifications.",
    "Wir möchten dir Benachrichtigungen senden.",
    "Le Courrier souhaite vous envoyer des notifications.",
    "El Diario quiere enviarte notificaciones.",
    "Il Giornale vorrebbe inviarti delle notifiche.",
    "De Krant wil je meldingen sturen.",
    "O Jornal gostaria de enviar notificações.",
    "Gazeta chce wysyłać ci powiadomienia.",
]
CHROME = [(line, "disclaimer") for line in DISCLOSURES] + [(line, "newsletter") for line in PROMPTS]
PROSE = [
    "When you buy a house in the city you pay a transfer tax on the price.",
    "The mayor said she would send the letters to every household next week.",
    "Die Kommission hat am Montag neue Regeln für den Handel vorgestellt.",
]


@pytest.mark.parametrize(("line", "family"), CHROME)
def test_affiliate_disclosures_and_push_prompts_are_chrome(line: str, family: str) -> None:
    assert classify_line(line) == family


@pytest.mark.parametrize("line", PROSE)
def test_sentences_about_buying_and_sending_are_not(line: str) -> None:
    assert classify_line(line) is None


def test_an_affiliate_disclosure_over_the_article_is_dropped() -> None:
    paragraphs = [
        "The new graphics cards sold out within minutes again on Thursday, and shops said "
        "they did not know when the next delivery would arrive from the factory.",
        "Buyers who missed out were told to try again next week, though several readers "
        "wrote to us that the shops had already run out by early morning.",
    ]
    page = "\n".join(["Home", "Hardware", "Cards sold out again", DISCLOSURES[0], *paragraphs])
    result = clean_text(page)
    assert all(p in result.body for p in paragraphs)
    assert DISCLOSURES[0] not in result.body
