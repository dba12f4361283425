"""A shop's empty-basket line is chrome in the languages of the rule files; a sentence
about a basket is not (issue 15). Lines written for these tests."""

from __future__ import annotations

import pytest

from cleaning.rules import classify_line

BASKETS = [
    "Your cart is empty",
    "Ihr Warenkorb ist leer",
    "Votre panier est vide",
    "Tu carrito está vacío",
    "Il carrello è vuoto",
    "Je winkelwagen is leeg",
    "O seu carrinho está vazio",
    "Koszyk jest pusty",
]


@pytest.mark.parametrize("line", BASKETS)
def test_an_empty_basket_line_is_chrome(line: str) -> None:
    assert classify_line(line) == "nav"


def test_a_sentence_about_an_empty_basket_is_not() -> None:
    line = "By the end of the market the baker's basket was empty and the queue still long."
    assert classify_line(line) is None
