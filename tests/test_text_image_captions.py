"""In a markdown flattening, a picture's caption pasted onto the image line in the
middle of the article ("![](src) Boats in the harbour on Tuesday. (AP)") is dropped in
any language; a paragraph that opens with an inline image and ends a sentence, and a
figure's short title after its image, stay (issue 15). Pages written for these tests."""

from __future__ import annotations

import pytest

from cleaning.text import clean_text
from tests.text_pages import HARBOUR_STORY

BODY = HARBOUR_STORY


def page(middle: str) -> str:
    return "\n\n".join(["# Channel to be dredged next spring", BODY[0], middle, *BODY[1:],
                        "[Contact](/contact) [Imprint](/imprint)"])  # fmt: skip


@pytest.mark.parametrize(
    "caption",
    [
        "Fishing boats wait for the tide in the old harbour of the town, Tuesday. Photo: J. Roe/AP",
        "Fischerboote warten am Dienstag im alten Hafen von Husum auf die Flut. Foto: dpa/Jan Roe",
        "Barcos de pesca esperan la marea en el viejo puerto de la ciudad, el martes. EFE/ J. Roe",
    ],
)  # fmt: skip
def test_a_caption_pasted_on_an_image_line_is_dropped(caption: str) -> None:
    result = clean_text(page(f"![](https://example.org/img/harbour.jpg) {caption}"))
    assert caption not in result.paragraphs
    assert result.paragraphs == BODY


def test_a_paragraph_opening_with_an_inline_image_stays() -> None:
    paragraph = (
        "The cooperative's chair said the fleet would return to the home port as soon as "
        "the dredgers leave, and that the first catch landed there will go to the town's "
        "school kitchens."
    )
    result = clean_text(page(f"![](https://example.org/img/logo.png) {paragraph}"))
    assert paragraph in result.paragraphs


def test_a_figures_short_title_after_its_image_stays() -> None:
    result = clean_text(page("![](https://example.org/img/chart.png) Catch landed per month"))
    assert "Catch landed per month" in result.paragraphs
