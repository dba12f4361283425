"""The paragraph model step of clean_html (cleaning/html_paragraphs.py): features found
again in the page, the drop decision, and the shipped weights file."""

from __future__ import annotations

import lxml.html

from cleaning import clean_html
from cleaning.html import HtmlOptions, LinkIndex, link_share
from cleaning.html_paragraphs import MODEL_PATH, ParagraphModel, load_model, paragraph_features

_PROSE = (
    "The council met on Tuesday evening to discuss the new budget for the harbour, "
    "which has been delayed twice since the spring because of the storms."
)
_PAGE = f"""<html><body>
<div class="site-menu"><a href="/a">Home</a> <a href="/b">World</a></div>
<article><div class="article-body">
<p>{_PROSE} One.</p>
<figure><img src="x.jpg"><figcaption class="photo-caption">The harbour at dusk</figcaption></figure>
<p>{_PROSE} Two.</p>
<p>{_PROSE} Three.</p>
</div>
<div class="related-box"><p><a href="/r1">Read more about the harbour budget here</a></p></div>
</article></body></html>"""


def _tree():
    return lxml.html.fromstring(_PAGE)


def test_features_find_each_paragraph_in_the_page_and_its_place_beside_the_body() -> None:
    paragraphs = [
        f"{_PROSE} One.",
        "The harbour at dusk",
        f"{_PROSE} Two.",
        f"{_PROSE} Three.",
        "Read more about the harbour budget here",
    ]
    rows = paragraph_features(paragraphs, _tree())
    assert all("unmatched" not in row for row in rows)
    assert rows[0]["main_parent"] == 1.0 and rows[2]["main_parent"] == 1.0
    caption, teaser = rows[1], rows[4]
    assert caption["tag_figcaption"] == 1.0 and caption["in_figure"] == 1.0
    assert "main_parent" not in caption and "own:caption" in caption
    assert "main_parent" not in teaser and "up:related" in teaser
    assert any(name.startswith("links4") for name in teaser)  # all of it is link text
    assert rows[0]["first"] == 1.0 and rows[4]["last"] == 1.0


def test_class_and_id_names_are_split_into_words() -> None:
    tree = lxml.html.fromstring(
        '<html><body><div id="mainColumn"><p class="articleBody__lead-text2">'
        "Some words of text here.</p></div></body></html>"
    )
    (row,) = paragraph_features(["Some words of text here."], tree)
    assert {"own:article", "own:body", "own:lead", "own:text", "up:main", "up:column"} <= set(row)


def test_model_drops_paragraphs_under_its_threshold_but_never_all_of_them() -> None:
    model = ParagraphModel({"bias": 2.0, "tag_figcaption": -5.0}, threshold=0.5)
    paragraphs = [f"{_PROSE} One.", "The harbour at dusk", f"{_PROSE} Two."]
    assert model.keep(paragraphs, _tree()) == [paragraphs[0], paragraphs[2]]
    everything_out = ParagraphModel({"bias": -5.0}, threshold=0.5)
    assert everything_out.keep(paragraphs, _tree()) == paragraphs


def test_shipped_weights_load_and_name_only_known_feature_kinds() -> None:
    model = load_model()
    assert model is not None and MODEL_PATH.exists()
    assert 0.0 < model.threshold < 1.0 and "bias" in model.weights
    assert all(isinstance(w, float) for w in model.weights.values())


def test_paragraph_model_is_off_by_default_and_can_be_switched_on() -> None:
    assert HtmlOptions().paragraph_model is False
    on = clean_html(_PAGE, options=HtmlOptions(paragraph_model=True))
    off = clean_html(_PAGE)
    assert f"{_PROSE} One." in on.paragraphs and f"{_PROSE} One." in off.paragraphs
    assert set(on.paragraphs) <= set(off.paragraphs)


def test_link_share_is_the_same_when_asked_twice_for_one_page() -> None:
    links = LinkIndex(_tree())
    teaser = ["Read more about the harbour budget here"]
    assert link_share(teaser, links) == link_share(teaser, links) == 1.0
    other_page = LinkIndex(lxml.html.fromstring("<html><body><p>x</p></body></html>"))
    assert link_share(teaser, other_page) == 0.0
