"""clean_html's contract on small inputs: decoding, bad input, metadata, removals."""

from __future__ import annotations

import lxml.html
import pytest

from cleaning import CLEANER_VERSION, CleanedArticle, clean_html
from cleaning.html import (
    HtmlOptions,
    LinkIndex,
    TableCells,
    adds_teaser_stream,
    continue_body,
    drop_credit_tail,
    drop_headline_repeat,
    drop_link_cards,
    drop_link_list_tail,
    drop_noise_paragraphs,
    fill_gaps,
    link_share,
    outside_prose,
    prefer_alternative,
    retag_prose_headers,
    retag_section_headings,
    standfirst,
    standfirst_block,
    unlink_in_page_anchors,
)
from cleaning.html_blocks import remove_hidden_blocks
from cleaning.types import Metadata, Removal

ARTICLE = """<html lang="{lang}"><head><meta charset="{charset}"><title>{title}</title></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{title}</h1>
<p>{para} The second sentence of this paragraph carries on for a while so that the
extractor has enough text to recognise an article body on this small test page.</p>
<p>Another paragraph follows here, also long enough to count as real article text,
with a few more words about the river, the harbour and the weather this week.</p>
<div class="sharedaddy"><h3 class="sd-title">Share this:</h3><a href="?share=x">X</a></div>
</article>
<footer>Copyright 2024 Example Media</footer></body></html>"""


def page(
    title: str = "River levels fall",
    para: str = "The river fell by a metre overnight.",
    lang: str = "en",
    charset: str = "utf-8",
) -> str:
    return ARTICLE.format(title=title, para=para, lang=lang, charset=charset)


def test_returns_paragraphs_and_title_from_a_plain_article() -> None:
    article = clean_html(page(), "https://news.example/river")
    assert isinstance(article, CleanedArticle)
    assert article.title == "River levels fall"
    assert article.paragraphs[0].startswith("The river fell by a metre overnight.")
    assert len(article.paragraphs) == 2
    assert article.body == "\n\n".join(article.paragraphs)
    assert article.cleaner_version == CLEANER_VERSION
    assert article.comments == []


def test_paragraphs_are_single_lines_with_whitespace_collapsed() -> None:
    article = clean_html(page())
    assert all("\n" not in p and "  " not in p for p in article.paragraphs)


def test_share_widget_is_removed_and_recorded_with_its_family() -> None:
    article = clean_html(page())
    assert "Share this:" not in article.body
    assert any(r.reason == "share" and "Share this:" in r.text for r in article.removed)


def test_bytes_are_decoded_from_the_meta_charset() -> None:
    html = page(para="Le fleuve a baissé d’un mètre, dit-on à Gênes.", charset="windows-1252")
    article = clean_html(html.encode("cp1252"))
    assert "baissé d’un mètre" in article.body


def test_bytes_with_a_utf8_bom_are_decoded() -> None:
    article = clean_html(b"\xef\xbb\xbf" + page(para="Zürich räumt auf.").encode("utf-8"))
    assert "Zürich räumt auf." in article.body


def test_language_falls_back_to_the_html_lang_attribute() -> None:
    assert clean_html(page(lang="de")).metadata.language == "de"


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        "",
        "   ",
        b"\x00\x00\x00",
        "<html>",
        "<<<>>>",
        "not html at all",
        b"\xff\xfe\xfa" * 50,
        "<html><body></body></html>",
        "<p>unclosed <b>tags <i>everywhere",
    ],
)
def test_empty_or_garbage_input_gives_empty_paragraphs_and_never_raises(garbage) -> None:
    article = clean_html(garbage)
    assert isinstance(article, CleanedArticle)
    assert all(p.strip() for p in article.paragraphs)


def test_truly_empty_input_has_no_paragraphs() -> None:
    for empty in (b"", "", "<html><body></body></html>"):
        assert clean_html(empty).paragraphs == []


def test_options_can_switch_off_comment_parsing() -> None:
    html = page().replace(
        "</article>",
        '</article><ol class="comment-list"><li class="comment"><div class="comment-author">'
        '<b class="fn">Ann</b></div><div class="comment-content"><p>Nice one.</p></div></li></ol>',
    )
    assert [c.author for c in clean_html(html).comments] == ["Ann"]
    quiet = clean_html(html, options=HtmlOptions(comments=False))
    assert quiet.comments == []
    assert "Nice one." not in quiet.body


# --- noise families: widgets found by structure (html_blocks) -------------------------------

WIDGETS = {
    "share": '<div class="addtoany_share_save_container"><a>Facebook</a> <a>Email</a></div>',
    "related": '<div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3>'
    "<p><a href='/x'>Storm damage to the old pier worse than first feared</a></p></div>",
    "newsletter": '<div class="mc4wp-form"><p>Get the morning briefing every weekday</p>'
    '<input type="email"></div>',
    "cookie": '<div id="cookie-notice"><p>We use small files to remember your settings.</p>'
    "<button>OK</button></div>",
    "bio": '<div class="saboxplugin-wrap"><p>Jo Smith covers the harbour and the islands '
    "for the paper.</p></div>",
    "ads": '<ins class="adsbygoogle">Sponsored links from our partners</ins>',
    "icon-sprite": '<svg><title>chevron down icon</title><use href="#i-chevron"></use></svg>',
}


@pytest.mark.parametrize("family", list(WIDGETS))
def test_widget_is_detached_and_recorded_with_its_family(family: str) -> None:
    widget = WIDGETS[family]
    article = clean_html(page().replace("</article>", widget + "</article>"))
    recorded = [r for r in article.removed if r.reason == family]
    assert recorded, f"no {family} removal in {article.removed}"
    for removal in recorded:
        for line in removal.text.split("\n\n"):
            assert line not in article.body
    assert article.paragraphs[0].startswith("The river fell by a metre overnight.")


# --- noise families: paragraphs by wording (the shared cleaning.rules families) -------------

NOISE_PARAGRAPHS = {
    "newsletter": "Sign up for our free newsletter to get the news in your inbox.",
    "related": "Read more: Council approves new flood barrier for the quay",
    "ads": "Advertisement",
    "share": "Share this article",
    "comment-chrome": "Leave a comment",
    "donation": "Support independent local journalism: donate today",
}


@pytest.mark.parametrize("family", list(NOISE_PARAGRAPHS))
def test_noise_paragraph_is_cut_with_its_rule_family(family: str) -> None:
    noise = NOISE_PARAGRAPHS[family]
    html = page().replace("<p>Another paragraph", f"<p>{noise}</p><p>Another paragraph")
    article = clean_html(html)
    assert noise not in article.paragraphs
    assert any(r.text == noise and r.reason == family for r in article.removed), article.removed


def test_prose_that_mentions_a_noise_word_is_kept() -> None:
    prose = (
        "Residents were asked to share their views on the flood barrier at a meeting in the "
        "town hall, where the newsletter editor of the residents' association spoke first and "
        "read out letters from people who could not attend."
    )
    article = clean_html(
        page().replace("<p>Another paragraph", f"<p>{prose}</p><p>Another paragraph")
    )
    assert prose in article.paragraphs


# Table data inside the body that the line rules, written for chrome lines, claim: a
# weather table's rows (`nav`), a benchmark's rows (`nav`), a loan table's amounts
# (`donation`).
TABLE_ROWS = [
    ("Auckland", "23/16", "74/60"),
    ("gsoc-2018", "3.3 GB/s", "0.091 GB/s"),
    ("286,35 €",),
]
TABLE_PROSE = [
    f"Paragraph {n} of the report goes on about the harbour, the river and the weather for "
    "long enough to read as article text on this small page."
    for n in range(1, 9)
]


def _table_page(rows: list[tuple[str, ...]]) -> lxml.html.HtmlElement:
    table = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    body = "".join(f"<p>{p}</p>" for p in TABLE_PROSE[:4])
    body += f"<table>{table}</table>" + "".join(f"<p>{p}</p>" for p in TABLE_PROSE[4:])
    return lxml.html.document_fromstring(f"<html><body><article>{body}</article></body></html>")


def test_table_rows_and_cells_inside_the_body_are_not_cut_by_the_line_rules() -> None:
    tree = _table_page(TABLE_ROWS)
    rows = [" ".join(row) for row in TABLE_ROWS]
    paragraphs = [*TABLE_PROSE[:4], *rows, *TABLE_PROSE[4:]]
    removed: list[Removal] = []
    kept = drop_noise_paragraphs(paragraphs, None, Metadata(), removed, TableCells(tree))
    assert kept == paragraphs, removed
    # the same lines outside any table are chrome to the rules, and cut with their family
    removed = []
    kept = drop_noise_paragraphs(paragraphs, None, Metadata(), removed, TableCells(_table_page([])))
    assert kept == TABLE_PROSE
    assert {r.reason for r in removed} == {"nav", "donation"}


def test_table_rows_at_the_body_edge_are_still_cut_by_the_line_rules() -> None:
    tree = _table_page(TABLE_ROWS)
    rows = [" ".join(row) for row in TABLE_ROWS]
    removed: list[Removal] = []
    kept = drop_noise_paragraphs([*TABLE_PROSE, *rows], None, Metadata(), removed, TableCells(tree))
    assert kept == TABLE_PROSE  # a layout or menu table after the article is not spared


def test_headline_and_byline_are_metadata_not_body() -> None:
    html = page().replace(
        "<h1>River levels fall</h1>", "<h1>River levels fall</h1><p>By Anna Weir</p>"
    )
    article = clean_html(html)
    assert article.title == "River levels fall"
    assert "River levels fall" not in article.paragraphs
    assert "By Anna Weir" not in article.paragraphs
    assert {r.reason for r in article.removed} >= {"byline"}


def test_site_profile_lines_are_cut_from_the_body_and_recorded() -> None:
    pitch = "The Evening Lantern has covered the valley towns since 1911 from Mill Street."
    story = "".join(
        f"<p>The harbour authority said the new breakwater would be finished by spring, "
        f"section {i} of its report noted, after two winters of storm damage.</p>"
        for i in range(6)
    )
    page = f"<html><body><article><h1>Breakwater</h1>{story}<p>{pitch}</p></article></body></html>"
    without = clean_html(page)
    assert pitch in without.body
    with_profile = clean_html(page, site_profile=[pitch.upper() + "  "])
    assert pitch not in with_profile.body
    assert "section 5 of its report" in with_profile.body
    assert any(r.reason == "site-profile" and r.text == pitch for r in with_profile.removed)


_FILLER = "<p>" + "The council met on Tuesday to discuss the harbour budget again. " * 6 + "</p>"


@pytest.mark.parametrize(
    ("fragment", "words"),
    [
        ("<table><tr><td>Cell one<p>inner para</p></td><td>two</td></tr></table>", "one inner"),
        ("<h2>Budget lines</h2><p>Harbour works first</p>", "lines Harbour"),
        ("<p>Before the rule</p><hr>After the rule", "rule After"),
        ("<ul><li>First item</li><li>Second item</li></ul>", "item Second"),
    ],
)
def test_text_of_adjacent_blocks_is_never_glued_into_one_word(fragment: str, words: str) -> None:
    after = _FILLER.replace("Tuesday", "Friday").replace("budget", "ferry")
    html = f"<html><body><article>{_FILLER}{fragment}{after}</article></body></html>"
    body = clean_html(html).body
    first, second = words.split()
    assert first + second not in body
    assert first in body and second in body


# --- candidate comparison (prefer_alternative) ----------------------------------------------

_ARTICLE = [
    "The council approved the new budget for the harbour district after a long debate.",
    "Residents had asked for more money to repair the old sea wall before the winter storms.",
    "The mayor said work would begin in the spring and last for about two years.",
]
_SIDEBAR = ["Most read today: five recipes for autumn soups you can freeze for later"]


def test_recall_body_that_is_a_different_longer_block_replaces_the_precision_body() -> None:
    assert prefer_alternative(_SIDEBAR, _ARTICLE, HtmlOptions())


def test_recall_body_that_only_adds_to_the_precision_body_does_not_replace_it() -> None:
    # the same article plus one paragraph: the extra text is what precision mode cut
    assert not prefer_alternative(_ARTICLE, [*_ARTICLE, *_SIDEBAR], HtmlOptions())


def test_shorter_or_empty_recall_body_never_replaces_the_precision_body() -> None:
    assert not prefer_alternative(_ARTICLE, _SIDEBAR, HtmlOptions())
    assert not prefer_alternative(_ARTICLE, [], HtmlOptions())


def _stream_page(linked_headings: bool, cards: int) -> tuple[lxml.html.HtmlElement, list[str]]:
    """An article, then a list of cards: a heading over a summary paragraph each."""
    summaries = [
        f"Summary number {i}: the harbour office reopened on Monday after repairs that took"
        " months, officials said, and visitors queued early to see the new hall."
        for i in range(cards)
    ]
    heading = (
        '<h3><a href="/story/{i}">Story {i}</a></h3>' if linked_headings else "<h3>Part {i}</h3>"
    )
    stream = "".join(
        f"<li>{heading.format(i=i)}<p>{summary}</p></li>" for i, summary in enumerate(summaries)
    )
    paragraphs = "".join(f"<p>{text}</p>" for text in _ARTICLE)
    tree = lxml.html.fromstring(
        f"<html><body><article>{paragraphs}</article><ul>{stream}</ul></body></html>"
    )
    return tree, summaries


def test_recall_body_that_adds_linked_headline_summaries_is_a_teaser_stream() -> None:
    # the recall-mode run kept the article and, after it, the summaries of the teaser cards
    # whose linked headlines it left out: not the rest of the article
    tree, summaries = _stream_page(linked_headings=True, cards=6)
    assert adds_teaser_stream(_ARTICLE, [*_ARTICLE, *summaries], tree)


def test_recall_body_that_adds_sections_under_plain_headings_is_no_teaser_stream() -> None:
    tree, summaries = _stream_page(linked_headings=False, cards=6)
    assert not adds_teaser_stream(_ARTICLE, [*_ARTICLE, *summaries], tree)


def test_a_few_linked_headline_summaries_are_no_teaser_stream() -> None:
    tree, summaries = _stream_page(linked_headings=True, cards=4)
    assert not adds_teaser_stream(_ARTICLE, [*_ARTICLE, *summaries], tree)


def test_recall_body_whose_additions_are_mostly_prose_is_no_teaser_stream() -> None:
    tree, summaries = _stream_page(linked_headings=True, cards=6)
    prose = [
        f"{text} It goes on, paragraph {i} of the rest of the article."
        for i, text in enumerate(_ARTICLE * 2)
    ]
    assert not adds_teaser_stream(_ARTICLE, [*_ARTICLE, *prose, *summaries], tree)


def test_any_recall_body_replaces_an_empty_precision_body() -> None:
    # too short for word 3-grams, but something is better than nothing
    assert prefer_alternative([], ["Test"], HtmlOptions())
    assert not prefer_alternative([], [], HtmlOptions())


def test_a_page_of_loose_body_text_keeps_its_text() -> None:
    # precision mode finds no block on a page whose only text sits loose in <body>
    html = "<!DOCTYPE html><html><head></head><body>\n  Test\n</body></html>"
    assert clean_html(html).paragraphs == ["Test"]


def test_candidate_comparison_can_be_switched_off() -> None:
    assert not prefer_alternative(_SIDEBAR, _ARTICLE, HtmlOptions(alternative_gain=None))


def _comparisons_made(monkeypatch: pytest.MonkeyPatch, html: str, options: HtmlOptions) -> int:
    """How many times clean_html compared its body with a recall-mode one on `html`."""
    import cleaning.html

    calls: list[int] = []

    def counting(chosen, alternative, opts) -> bool:
        calls.append(1)
        return prefer_alternative(chosen, alternative, opts)

    monkeypatch.setattr(cleaning.html, "prefer_alternative", counting)
    clean_html(html, options=options)
    return len(calls)


def test_body_holding_the_page_paragraphs_skips_the_second_extraction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _comparisons_made(monkeypatch, page(), HtmlOptions()) == 0
    everywhere = HtmlOptions(alternative_below=None)
    assert _comparisons_made(monkeypatch, page(), everywhere) == 1


def test_body_far_shorter_than_the_page_paragraphs_is_compared(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # link lists in <p>: page paragraph words that no body extractor keeps
    teasers = "".join(
        f'<li><p><a href="/s{n}">Story {n}: the harbour ferry timetable changes again for '
        f"winter, with {n} extra sailings on weekdays</a></p></li>"
        for n in range(40)
    )
    html = page().replace("<footer>", f'<ul class="teasers">{teasers}</ul><footer>')
    assert _comparisons_made(monkeypatch, html, HtmlOptions()) == 1


_SECTION_FRONT = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Culture | The Daily Example</title></head><body>
<header><a href="/">The Daily Example</a><nav><a href="/world/">World</a>
<a href="/politics/">Politics</a> <a href="/culture/">Culture</a> <a href="/search/">Search</a>
</nav></header><main><h1>Culture</h1>{teasers}</main></body></html>"""


@pytest.mark.parametrize("teasers", [1, 3, 12])
def test_a_section_front_of_teaser_links_never_comes_out_as_an_article(teasers: int) -> None:
    # precision mode finds no body here; recall mode would find the menu and the headlines
    html = _SECTION_FRONT.format(
        teasers="".join(
            f'<article class="teaser"><h2><a href="/culture/story-{n}.html">Story {n}</a></h2>'
            "</article>"
            for n in range(teasers)
        )
    )
    assert clean_html(html, "https://news.example/culture/1/").paragraphs == []


def test_link_share_counts_words_that_are_a_link_text_in_place() -> None:
    tree = lxml.html.fromstring(
        '<div><a href="/a">Harbour news</a> <a href="/b">Weather</a> <p>The harbour is '
        "calm today.</p></div>"
    )
    assert link_share(["Harbour news Weather"], LinkIndex(tree)) == 1.0
    # "harbour" alone is not the link text "Harbour news"
    assert link_share(["The harbour is calm today"], LinkIndex(tree)) == 0.0
    assert link_share(["Weather: the harbour is calm"], LinkIndex(tree)) == pytest.approx(1 / 5)
    assert link_share([], LinkIndex(tree)) == 0.0


def test_short_body_is_compared_even_where_the_page_has_few_paragraph_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the page's text sits in <div>s, its only <p> is a notice: <p> words say nothing,
    # the body's own length does
    html = (
        "<html><body><p>Your browser is out of date.</p><div class='text'>"
        f"<div>{' '.join(_ARTICLE[:2])}</div></div></body></html>"
    )
    assert _comparisons_made(monkeypatch, html, HtmlOptions()) == 1
    assert _comparisons_made(monkeypatch, html, HtmlOptions(alternative_min_words=0)) == 0


_LEAD = (
    "The harbour authority closed the eastern quay on Monday after inspectors found cracks "
    "in the old sea wall, and ferries will use the western pier until repairs are done, "
    "which may take most of the winter."
)
_FILL_PAGE = f"""<html><body><nav><a href="/harbour/wall">Sea wall cracks close the quay</a>
</nav><p>{_LEAD}</p><div class="body"><p>{_ARTICLE[0]}</p>
<p>Short quote from the mayor here.</p><p><a href="/related">Related: ferry timetable
changes for the winter season</a></p><p>{_ARTICLE[1]}</p><p>{_ARTICLE[2]}</p></div>
<p>Sign up for our newsletter to get the harbour news every morning in your inbox.</p>
</body></html>"""
_RECALL = [
    "Sea wall cracks close the quay",
    _LEAD,
    _ARTICLE[0],
    "Short quote from the mayor here.",
    "Related: ferry timetable changes for the winter season",
    _ARTICLE[1],
    _ARTICLE[2],
    "Sign up for our newsletter to get the harbour news every morning in your inbox.",
]


def test_gap_filling_adds_the_lead_and_the_paragraphs_precision_cut_inside_the_body() -> None:
    tree = lxml.html.fromstring(_FILL_PAGE)
    assert fill_gaps(_ARTICLE, _RECALL, LinkIndex(tree), HtmlOptions()) == [
        _LEAD,
        _ARTICLE[0],
        "Short quote from the mayor here.",
        *_ARTICLE[1:],
    ]  # not the headline link, the related-story link inside, nor the newsletter box after


def test_gap_filling_keeps_a_short_paragraph_before_the_body_out() -> None:
    tree = lxml.html.fromstring(_FILL_PAGE)
    short_lead = [_RECALL[0], "Ferries move to the western pier.", *_RECALL[2:]]
    assert fill_gaps(_ARTICLE, short_lead, LinkIndex(tree), HtmlOptions())[0] == _ARTICLE[0]


def test_gap_filling_can_be_switched_off() -> None:
    tree = lxml.html.fromstring(_FILL_PAGE)
    off = HtmlOptions(fill_lead_words=None, fill_inside_links=None)
    assert fill_gaps(_ARTICLE, _RECALL, LinkIndex(tree), off) == _ARTICLE
    assert fill_gaps(_ARTICLE, [], LinkIndex(tree), HtmlOptions()) == _ARTICLE
    # a recall body sharing nothing with the chosen one adds nothing
    assert fill_gaps(_ARTICLE, [_LEAD, _RECALL[-1]], LinkIndex(tree), HtmlOptions()) == _ARTICLE


def test_recall_extraction_for_gap_filling_runs_only_where_body_lacks_prose_around_it() -> None:
    tree = lxml.html.fromstring(_FILL_PAGE)
    options = HtmlOptions()
    assert outside_prose(_ARTICLE, tree, options)  # the lead and the quote are missing
    everything = [_LEAD, _ARTICLE[0], "Short quote from the mayor here.", *_ARTICLE[1:]]
    # what is left inside is the 8-word related link, under the 10 words of prose
    assert not outside_prose(everything, tree, options)
    # nothing before the lead; the newsletter box after the body does not count
    assert not outside_prose(everything[:2], tree, options)
    assert outside_prose([_LEAD, *_ARTICLE[1:]], tree, options)  # the first paragraph
    assert not outside_prose([], tree, options)


def test_a_section_heading_the_body_lacks_inside_it_runs_the_gap_filling() -> None:
    body = [f"{text} {text}" for text in _ARTICLE]
    sections = "".join(
        f"<h2>{heading}</h2><p>{text}</p>"
        for heading, text in zip(
            ["Intro", "Who pays for the new sea wall", "Hi"], body, strict=True
        )
    )
    tree = lxml.html.fromstring(f"<html><body><article>{sections}</article></body></html>")
    options = HtmlOptions()
    # the 7-word heading between the first and the last paragraph is missing
    assert outside_prose(body, tree, options)
    # one the body has, or one above its first paragraph, is no gap
    assert not outside_prose([body[0], "Who pays for the new sea wall", *body[1:]], tree, options)
    assert not outside_prose(body[1:], tree, options)
    assert not outside_prose(body, tree, HtmlOptions(fill_trigger_heading_words=None))


# --- the body's end -------------------------------------------------------------------------

PROSE = (
    "The council approved the new harbour budget on Tuesday after a long debate about "
    "the cost of dredging the channel."
)
TEASERS = ["Ferry timetable changes from May", "Storm closes the coast road again"]


def _tree_with_links(*texts: str) -> lxml.html.HtmlElement:
    items = "".join(f'<li><a href="/s/{i}">{t}</a></li>' for i, t in enumerate(texts))
    return lxml.html.fromstring(f"<html><body><p>{PROSE}</p><ul>{items}</ul></body></html>")


def test_heading_over_a_trailing_list_of_links_is_cut_as_related() -> None:
    removed: list[Removal] = []
    paragraphs = [PROSE, PROSE, "More from the coast", *TEASERS]
    kept = drop_link_list_tail(paragraphs, LinkIndex(_tree_with_links(*TEASERS)), removed)
    assert kept == [PROSE, PROSE]
    assert [r.text for r in removed] == ["More from the coast", *TEASERS]
    assert {r.reason for r in removed} == {"related"}


def test_trailing_heading_over_plain_text_or_prose_is_kept() -> None:
    not_links = [PROSE, PROSE, "What happens next", *TEASERS]
    assert drop_link_list_tail(not_links, LinkIndex(_tree_with_links()), []) == not_links
    prose_after = [PROSE, PROSE, "What happens next", PROSE, TEASERS[0]]
    assert (
        drop_link_list_tail(prose_after, LinkIndex(_tree_with_links(*TEASERS)), []) == prose_after
    )


def test_a_list_of_links_that_is_the_body_itself_is_kept() -> None:
    # Only the last few paragraphs are looked at, and in a long link list (an "External
    # links" section) each heading-like item there follows another link, not article text.
    links = [f"Harbour history part {n} at the museum" for n in range(8)]
    paragraphs = [PROSE, *links]
    assert drop_link_list_tail(paragraphs, LinkIndex(_tree_with_links(*links)), []) == paragraphs


def test_closing_copyright_or_credit_line_is_cut_with_its_family() -> None:
    removed: list[Removal] = []
    kept = drop_credit_tail([PROSE, PROSE, "© 2024 Example Media. All rights reserved."], removed)
    assert kept == [PROSE, PROSE]
    assert [r.reason for r in removed] == ["copyright"]
    removed = []
    assert drop_credit_tail([PROSE, "Getty Images"], removed) == [PROSE]
    assert drop_credit_tail([PROSE, "Already a subscriber? Log in"], removed) == [PROSE]
    assert [r.reason for r in removed] == ["caption", "paywall"]


def test_copyright_line_inside_the_body_or_in_long_prose_is_kept() -> None:
    inside = [PROSE, "© Example Media", PROSE]
    assert drop_credit_tail(inside, []) == inside
    long_line = f"{PROSE} The © sign on the old harbour map is still visible today, she said."
    assert drop_credit_tail([PROSE, long_line], []) == [PROSE, long_line]
    assert drop_credit_tail(["© Example Media"], []) == ["© Example Media"]


# --- the standfirst -------------------------------------------------------------------------

_DEK = (
    "Inspectors found cracks in the old sea wall, so ferries move to the western pier "
    "for the winter while the quay is repaired."
)


_BYLINE_BOX = (
    '<div class="byline"><p>Harbour desk, with reporting from the western pier and the '
    "ferry operators, updated this morning after the council meeting</p></div>"
)


def _standfirst_page(description: str, between: str = "") -> str:
    body = "".join(f"<p>{p} {PROSE}</p>" for p in _ARTICLE)
    return (
        f'<html><head><title>Sea wall cracks close the quay</title><meta name="description" '
        f'content="{description}"></head><body><article><header><h1>Sea wall cracks close '
        f'the quay</h1><div class="dek"><p>{_DEK}</p></div>{between}</header>'
        f'<div class="body">{body}</div></article></body></html>'
    )


def test_standfirst_that_adjoins_the_body_leads_it() -> None:
    page = _standfirst_page(_DEK, '<figure><img src="q.jpg"><figcaption>The quay</figcaption>')
    assert clean_html(page).paragraphs[0] == _DEK
    assert _DEK not in clean_html(page, options=HtmlOptions(standfirst_adjoining=None)).paragraphs


def test_standfirst_set_apart_from_the_body_leads_it_only_when_switched_on() -> None:
    page = _standfirst_page(_DEK, _BYLINE_BOX)
    assert _DEK not in clean_html(page).paragraphs  # a header summary: a gold-set convention
    assert clean_html(page, options=HtmlOptions(standfirst=True)).paragraphs[0] == _DEK


def test_words_between_standfirst_and_body_are_counted_in_any_markup() -> None:
    tree = lxml.html.fromstring(_standfirst_page("", _BYLINE_BOX))
    first = f"{_ARTICLE[0]} {PROSE}"
    text, between, levels = standfirst_block([first], tree, _DEK, None, 40)
    assert text == _DEK and between == len(lxml.html.fromstring(_BYLINE_BOX).text_content().split())
    assert levels == 3  # p < div.dek < header < article, which also holds the body
    assert standfirst_block([first], tree, _DEK, None, 5) == (_DEK, None, 3)
    assert standfirst([first], tree, _DEK, None, most_between=5) is None
    assert standfirst([first], tree, _DEK, None, most_between=40) == _DEK


def test_standfirst_is_the_smallest_block_holding_a_description_cut_short() -> None:
    tree = lxml.html.fromstring(_standfirst_page(""))
    cut_short = " ".join(_DEK.split()[:14]) + " ..."
    assert standfirst([PROSE], tree, cut_short, "Sea wall cracks close the quay") == _DEK


def test_no_standfirst_where_the_body_has_it_or_the_description_says_too_little() -> None:
    tree = lxml.html.fromstring(_standfirst_page(""))
    assert standfirst([_DEK, PROSE], tree, _DEK, None) is None
    assert standfirst([PROSE], tree, "Harbour news from the coast", None) is None
    assert (
        standfirst([PROSE], tree, "A description that no block of this page holds at all", None)
        is None
    )
    assert standfirst([], tree, _DEK, None) is None


# --- the headline repeated ------------------------------------------------------------------


def test_headline_repeated_without_the_site_name_of_the_page_title_is_cut_as_title() -> None:
    removed: list[Removal] = []
    title = "Sea wall cracks close the quay | Harbour Gazette"
    kept = drop_headline_repeat(["Sea wall cracks close the quay", PROSE, PROSE], title, removed)
    assert kept == [PROSE, PROSE]
    assert [(r.text, r.reason) for r in removed] == [("Sea wall cracks close the quay", "title")]
    # second place too (after a kicker), quotes and dashes aside
    kicker = ["Harbour", "Sea wall cracks – close the quay", PROSE]
    assert drop_headline_repeat(kicker, "Sea wall cracks - close the quay - Gazette", []) == [
        "Harbour",
        PROSE,
    ]


def test_short_lines_sentences_and_text_beyond_the_title_are_not_headlines() -> None:
    title = "Sea wall cracks close the quay | Harbour Gazette"
    for paragraphs in (
        ["Gazette", PROSE],  # one word: a section or site name, not a headline
        ["Sea wall cracks close the quay and the ferries move", PROSE],  # more than the title
        [PROSE, PROSE, "Sea wall cracks close the quay"],  # not among the first two
        ["Sea wall cracks close the quay"],  # the only paragraph
    ):
        assert drop_headline_repeat(paragraphs, title, []) == paragraphs
    assert drop_headline_repeat(["wall cracks close", PROSE], "Seawall cracks closed", []) == [
        "wall cracks close",
        PROSE,
    ]  # words, not characters


# --- in-page anchors (jump targets, not links) -------------------------------------------


def _page_with_section_headings(
    anchor: str = "", heading: str = "<h2 id='s{i}'>{text} {anchor}</h2>", before: str = ""
) -> str:
    sections = "".join(
        f"<p>{p} {PROSE}</p>"
        + heading.format(i=i, text=f"Part {i}: the harbour works", anchor=anchor)
        + f"<p>{PROSE}</p>"
        for i, p in enumerate(_ARTICLE)
    )
    return (
        "<html><head><title>Harbour works</title></head>"
        f"<body><article><div class='body'>{before}{sections}</div></article></body></html>"
    )


def test_section_headings_with_a_textless_permalink_are_kept() -> None:
    # an icon-only permalink, as static-site generators put in every heading
    permalink = '<a href="#s"><svg viewbox="0 0 16 16"> <path d="M1 1Z"></path></svg></a>'
    paragraphs = clean_html(_page_with_section_headings(permalink)).paragraphs
    assert [p for p in paragraphs if p.startswith("Part ")] == [
        f"Part {i}: the harbour works" for i in range(len(_ARTICLE))
    ]


def test_textless_anchors_are_detached_but_image_links_and_text_links_stay() -> None:
    tree = lxml.html.fromstring(
        '<html><body><h2>Title <a href="#t"></a><a name="t"> </a></h2>'
        '<a href="#g"><img src="g.png"></a><a href="#x">Next part</a>'
        '<a href="/teaser"><div class="thumb"></div></a> tail text</body></html>'
    )
    unlink_in_page_anchors(tree)
    assert [a.get("href") for a in tree.iter("a")] == ["#g", "#x", "/teaser"]
    assert tree.text_content().endswith("tail text")


def test_section_headings_that_are_named_anchors_are_kept() -> None:
    # <h2><a name="s0">Part 0: ...</a></h2>: a jump target, not a link, however it reads
    # to a link-density test; the page's table of contents links to it
    toc = "".join(f"<li><a href='#s{i}'>Part {i}: the harbour works</a></li>" for i in range(3))
    html = _page_with_section_headings(
        heading="<h2><a name='s{i}'>{text}</a></h2>", before=f"<ul class='toc'>{toc}</ul>"
    )
    paragraphs = clean_html(html).paragraphs
    assert [p for p in paragraphs if p.startswith("Part ")] == [
        f"Part {i}: the harbour works" for i in range(len(_ARTICLE))
    ]


def test_anchors_without_a_target_are_unwrapped_but_buttons_stay_links() -> None:
    tree = lxml.html.fromstring(
        '<html><body><h2><a name="t">Named</a> and <a id="u">id</a></h2>'
        '<a role="button" id="b">Comments</a><a class="js">Load more</a></body></html>'
    )
    unlink_in_page_anchors(tree)
    assert [a.text_content() for a in tree.iter("a")] == ["Comments", "Load more"]
    assert tree.find(".//h2").text_content() == "Named and id"


def _story_page(dek_markup: str) -> str:
    """A dek in the story's own container, then a byline box, then the text."""
    body = "".join(f"<p>{p} {PROSE}</p>" for p in _ARTICLE)
    return (
        f'<html><head><title>Sea wall cracks close the quay</title><meta name="description" '
        f'content="{_DEK}"></head><body><nav><a href="/">Home</a></nav><h1>Sea wall cracks '
        f'close the quay</h1><div class="story">{dek_markup}{_BYLINE_BOX}'
        f'<div class="text">{body}</div></div></body></html>'
    )


def test_standfirst_in_the_body_container_leads_it_past_a_byline() -> None:
    page = _story_page(f"<header><p>{_DEK}</p></header>")
    assert clean_html(page).paragraphs[0] == _DEK  # p < header < div.story: 2 levels
    off = HtmlOptions(standfirst_container_levels=None)
    assert _DEK not in clean_html(page, options=off).paragraphs  # 18 words between
    assert (
        _DEK not in clean_html(page, options=HtmlOptions(standfirst_container_levels=1)).paragraphs
    )


def test_subtitle_heading_in_the_body_container_does_not_lead_it() -> None:
    page = _story_page(f"<header><h2>{_DEK}</h2></header>")
    assert _DEK not in clean_html(page).paragraphs
    found = standfirst_block([f"{_ARTICLE[0]} {PROSE}"], lxml.html.fromstring(page), _DEK, None, 40)
    assert found is not None and found[2] is None  # a heading: no container rule


# --- teaser cards ----------------------------------------------------------------------------

_CARD_HEADLINE = "Ferry timetable changes from May on all island routes"
_CARD_TEASER = (
    "Operators cut the late crossings and add a morning boat for commuters to the mainland."
)


def _page_with_card(card: str) -> str:
    paragraphs = [f"<p>{p} {PROSE}</p>" for p in _ARTICLE]
    return (
        "<html><head><title>Harbour budget passes</title></head><body><article>"
        f"<h1>Harbour budget passes</h1>{paragraphs[0]}{paragraphs[1]}{card}{paragraphs[2]}"
        "</article></body></html>"
    )


def test_teaser_card_inside_the_article_is_cut_as_related() -> None:
    card = f'<a href="/ferries"><div><h3>{_CARD_HEADLINE}</h3><p>{_CARD_TEASER}</p></div></a>'
    article = clean_html(_page_with_card(card))
    assert article.paragraphs == [f"{p} {PROSE}" for p in _ARTICLE]
    assert {r.text for r in article.removed if r.reason == "related"} >= {
        _CARD_HEADLINE,
        _CARD_TEASER,
    }


def test_link_with_only_inline_text_or_an_image_box_is_no_card() -> None:
    inline = f'<p>Read also: <a href="/ferries">{_CARD_HEADLINE}</a></p>'
    image_box = f'<a href="/ferries"><div class="img"></div><span>{_CARD_HEADLINE}</span></a>'
    tree = lxml.html.fromstring(_page_with_card(inline + image_box))
    paragraphs = [f"Read also: {_CARD_HEADLINE}", _CARD_HEADLINE, PROSE]
    assert drop_link_cards(paragraphs, tree, []) == paragraphs


# --- the body's continuation -----------------------------------------------------------------

_FIRST_CHUNK = [
    f"{sentence} {PROSE}"
    for sentence in (
        "The ferry company said the harbour works would take most of the winter.",
        "Passengers were told to expect longer crossings and fewer boats at night.",
        "The council promised a shuttle bus between the two piers for the whole period.",
    )
]
_SECOND_CHUNK = [
    "Fishermen, who moor at the old quay, said they had not been asked about the plans at all.",
    "The harbour master said the new timetable would be published before the end of the month.",
]


def _chunked_page(between: str, second: list[str]) -> str:
    chunk = '<div class="chunk"><div class="text">{}</div></div>'
    first = "".join(f"<p>{p}</p>" for p in _FIRST_CHUNK)
    rest = "".join(f"<p>{p}</p>" for p in second)
    return (
        f'<html><body><main><div class="story">{chunk.format(first)}{between}'
        f"{chunk.format(rest)}</div></main></body></html>"
    )


def test_body_cut_at_a_break_in_the_article_markup_continues_in_the_same_markup() -> None:
    tree = lxml.html.fromstring(_chunked_page('<div class="promo">Subscribe</div>', _SECOND_CHUNK))
    links = LinkIndex(tree)
    assert continue_body(list(_FIRST_CHUNK), tree, links, 2) == _FIRST_CHUNK + _SECOND_CHUNK
    assert continue_body(list(_FIRST_CHUNK), tree, links, 3) == _FIRST_CHUNK  # run too short


def test_text_after_the_body_in_other_markup_or_not_prose_is_not_added() -> None:
    other = lxml.html.fromstring(
        _chunked_page("", []).replace(
            "</div></main>",
            "".join(f'<aside class="teaser"><p>{p}</p></aside>' for p in _SECOND_CHUNK)
            + "</div></main>",
        )
    )
    assert continue_body(list(_FIRST_CHUNK), other, LinkIndex(other), 2) == _FIRST_CHUNK
    short = lxml.html.fromstring(_chunked_page("", ["Tags", "Harbour, ferries, council"]))
    assert continue_body(list(_FIRST_CHUNK), short, LinkIndex(short), 2) == _FIRST_CHUNK


_VISIBLE = [
    "The ferry company said the harbour works would take most of the winter months ahead.",
    "Passengers were told to expect longer crossings and fewer boats at night until spring.",
    "The council promised a shuttle bus between the two piers for the whole of that period.",
    "Fishermen who moor at the old quay said they had not been asked about the plans at all.",
]
_HIDDEN_MODAL = (
    "We noticed you are using a blocker. Please allow our sponsors so that we can keep "
    "writing the stories you read here every single day of the week."
)


@pytest.mark.parametrize(
    "hiding",
    ['hidden=""', 'style="display: none;"', 'style="color: red; visibility:hidden !important"'],
)
def test_blocks_the_markup_declares_invisible_are_not_body(hiding: str) -> None:
    body = "".join(f"<p>{p}</p>" for p in _VISIBLE[:2])
    body += f"<div {hiding}><p>{_HIDDEN_MODAL}</p></div>"
    body += "".join(f"<p>{p}</p>" for p in _VISIBLE[2:])
    article = clean_html(f"<html><body><article>{body}</article></body></html>")
    assert article.paragraphs == _VISIBLE
    assert any(r.reason == "hidden" and _HIDDEN_MODAL in r.text for r in article.removed)


def test_hidden_inline_text_maths_and_searchable_blocks_are_kept() -> None:
    tree = lxml.html.fromstring(
        "<html><body><p>Shown <span style='display:none'>rest of the sentence</span></p>"
        "<div style='display:none'><math><mi>x</mi></math></div>"
        "<div hidden='until-found'><p>Answer to a question in an accordion</p></div>"
        "</body></html>"
    )
    assert remove_hidden_blocks(tree, 10) == []
    assert "rest of the sentence" in tree.text_content()


def test_hidden_blocks_holding_most_of_the_page_prose_are_the_article_and_kept() -> None:
    paywalled = "".join(f"<p>{p}</p>" for p in _VISIBLE)
    tree = lxml.html.fromstring(
        f"<html><body><p>Teaser line.</p><div class='wall' hidden>{paywalled}</div></body></html>"
    )
    assert remove_hidden_blocks(tree, 64) == []  # one block with most of the <p> words
    slides = "".join(f"<div style='display:none'><p>{p}</p></div>" for p in _VISIBLE)
    tree = lxml.html.fromstring(f"<html><body><p>Slide one.</p>{slides}</body></html>")
    assert remove_hidden_blocks(tree, 64) == []  # together they are nearly all of them


def test_a_link_wrapped_in_a_styled_span_stays_in_its_sentence() -> None:
    wrapped = (
        "The ferry company said in a statement that "
        '<span class="link"><a href="/ferries/new-timetable">the new timetable</a></span> '
        "will be published before the end of the month, with fewer boats at night."
    )
    body = "".join(f"<p>{p}</p>" for p in _VISIBLE[:2]) + f"<p>{wrapped}</p>"
    body += "".join(f"<p>{p}</p>" for p in _VISIBLE[2:])
    article = clean_html(f"<html><body><article>{body}</article></body></html>")
    assert "statement that the new timetable will be published" in article.body


_SECTIONS = [
    [
        "The pole vault champion opened his season with a clear win at the indoor meeting.",
        "He cleared every height at the first attempt before the bar went up to a new best.",
        "The crowd stayed on their feet for his three attempts at a new meeting record.",
    ],
    [
        "The hurdles champion began his season with a fast time in the heats on Friday.",
        "After a run of injuries he said he was glad to be racing against the best again.",
        "His coach said the plan was to stay healthy until the championships in the summer.",
    ],
]


def test_running_text_set_in_header_elements_is_body() -> None:
    sections = "".join(
        "<section><article><figure><img src='a.jpg'></figure><header><h2>Part</h2>"
        + "".join(f"<p>{p}</p>" for p in section)
        + "</header></article></section>"
        for section in _SECTIONS
    )
    lead = "<div class='text'>" + "".join(f"<p>{p}</p>" for p in _VISIBLE) + "</div>"
    article = clean_html(f"<html><body><main>{lead}{sections}</main></body></html>")
    assert all(p in article.paragraphs for section in _SECTIONS for p in section)


def test_a_header_with_a_headline_and_a_dek_stays_a_header() -> None:
    tree = lxml.html.fromstring(
        f"<html><body><header><h1>Title</h1><p>{_SECTIONS[0][0]}</p></header></body></html>"
    )
    retag_prose_headers(tree)
    assert tree.find(".//header") is not None


# --- section headings over prose (retag_section_headings) ------------------------------------

_SECTION_PARAGRAPH = (
    "The {topic} committee met on Tuesday to discuss the plans for the coming year, and its"
    " members agreed that the budget for the {topic} should grow by a tenth after a long debate."
)


def _sections_page(wrap: str) -> tuple[str, list[str]]:
    topics = ["harbour", "railway", "library"]
    headings = [f"Plans for the {topic}" for topic in topics]
    sections = "".join(
        f"{wrap.format(heading=heading)}<p>{_SECTION_PARAGRAPH.format(topic=topic)}</p>"
        f"<p>{_SECTION_PARAGRAPH.format(topic=topic + 's')}</p>"
        for heading, topic in zip(headings, topics, strict=True)
    )
    return f"<html><body><div><h1>Title</h1>{sections}</div></body></html>", headings


def test_section_headings_of_an_article_without_a_container_are_kept() -> None:
    # no article/main/content container: trafilatura falls back to the loose paragraphs,
    # and the headings between them would be lost
    page, headings = _sections_page("<h2>{heading}</h2>")
    paragraphs = clean_html(page).paragraphs
    assert all(heading in paragraphs for heading in headings)


def test_section_headings_that_link_to_themselves_are_kept_as_their_text() -> None:
    # a table-of-contents target: the heading's text is a link into the page, not away
    page, headings = _sections_page('<h3 id="s"><a class="toc" href="#s">{heading}</a></h3>')
    paragraphs = clean_html(page).paragraphs
    assert all(heading in paragraphs for heading in headings)


def test_a_linked_headline_over_a_summary_stays_a_heading() -> None:
    page, _ = _sections_page('<h3><a href="/story">{heading}</a></h3>')
    tree = lxml.html.fromstring(page)
    retag_section_headings(tree)
    assert len(tree.findall(".//h3")) == 3


def test_a_heading_over_a_short_line_or_a_list_stays_a_heading() -> None:
    tree = lxml.html.fromstring(
        "<html><body><h2>Read more</h2><ul><li><a href='/a'>A story</a></li></ul>"
        "<h2>Contact</h2><p>Call us today.</p><h1>Title</h1><p>"
        + _SECTION_PARAGRAPH.format(topic="harbour")
        + "</p></body></html>"
    )
    retag_section_headings(tree)
    assert [h.tag for h in tree.iter("h1", "h2")] == ["h2", "h2", "h1"]
