"""Issue 15, round 3 (h3): markdown dumps' own shapes (a teaser box's linked bylines, raw
HTML passed through, links broken by <br>, a page of headings) and Chinese / Japanese
sentences that a get_text dump cut at inline tags. Pages written for these tests."""

from __future__ import annotations

from cleaning.rules import classify_line
from cleaning.text import GOOD, NEAR, SHORT, _quality, clean_text
from cleaning.text_lines import split_lines
from tests.text_pages import CINEMA_STORY, FOOTBRIDGE_STORY, HARBOUR_STORY


def test_a_markdown_teaser_box_with_linked_bylines_inside_the_article_is_no_thread() -> None:
    def teaser(title: str, slug: str, author: str, date: str) -> str:
        return (
            f"  * [![](https://example.com/img/{slug}.jpg)](https://example.com/{slug})\n\n"
            f"#####  [{title}](https://example.com/{slug})\n\n"
            f"    1. [{author}](https://example.com/authors/{slug})\n{date}\n"
        )

    box = "####  Recommended \n\n" + "\n".join(
        [
            teaser("The Lighthouse Keepers of the North Coast", "a", "Anna Berg", "Jul 17, 2014"),
            teaser("Why Old Harbours Silt Up Again", "b", "Tom Reed", "Mar 9, 2018"),
            teaser("A Short History of the Fishing Fleet", "c", "Lena Fox", "Aug 23, 2017"),
        ]
    )
    page = "\n\n".join(
        ["# Dredging plan approved", *HARBOUR_STORY, *FOOTBRIDGE_STORY, box, *CINEMA_STORY]
    )
    body = clean_text(page).body
    assert all(p in body for p in HARBOUR_STORY + FOOTBRIDGE_STORY + CINEMA_STORY)
    assert "Tom Reed" not in body


def test_raw_html_in_a_markdown_dump_is_no_text() -> None:
    pixel = '<div style="position:absolute;"><img width=1 height=1 alt="" src="http://t.example/b?P=1"></div>'
    notice = "<p>Your browser has <em>JavaScript</em> turned off, so some boxes are empty.</p>"
    page = "\n\n".join(
        ["# Dredging plan approved", "[Home](https://example.com/)", *HARBOUR_STORY, pixel, notice]
    )
    texts = [line.text for line in split_lines(page)]
    assert not any("<" in text or "turned off" in text for text in texts)
    assert clean_text(page).paragraphs == HARBOUR_STORY


def test_html_in_a_markdown_code_block_or_a_get_text_dump_stays() -> None:
    listing = '    <script src="vendor/app.js"></script>'
    markdown = "\n\n".join(["Add this line to the page [docs](https://example.com/):", listing])
    assert '<script src="vendor/app.js"></script>' in [line.text for line in split_lines(markdown)]
    fenced = "\n".join(["[docs](https://example.com/)", "```", '<div id="app"></div>', "```"])
    assert '<div id="app"></div>' in [line.text for line in split_lines(fenced)]
    get_text = "\n".join(["Add this line to the page:", '<script src="vendor/app.js"></script>'])
    assert '<script src="vendor/app.js"></script>' in [line.text for line in split_lines(get_text)]


def test_a_markdown_link_broken_by_line_breaks_is_one_linked_line() -> None:
    ad = "[Spring sale on all garden tools  \nTwenty per cent off  \nthis week only](https://ads.example/x)"
    lines = split_lines("\n\n".join(["Some text [here](https://example.com/).", ad]))
    joined = [line for line in lines if "Spring sale" in line.text]
    assert len(joined) == 1
    assert joined[0].text == "Spring sale on all garden tools Twenty per cent off this week only"
    assert joined[0].links == 1 and joined[0].link_density > 0.9


def test_a_page_of_headings_alone_keeps_them() -> None:
    result = clean_text("## First test case\n\n## Second test case\n")
    assert result.paragraphs == ["First test case", "Second test case"]


def test_a_lone_heading_over_nothing_is_still_no_body() -> None:
    # one heading and lowercase scraps: no body to speak of, as before
    assert clean_text("Replace the links\nabc\ndef\n").paragraphs == []


JA_LEAD = "市は十四日、港の浚渫工事を来春に始めると発表した。工事を担うのは"
JA_LINK = "港湾整備公社"
JA_REST = "で、費用は約四億円になる。"


def test_a_japanese_sentence_cut_at_a_link_is_rejoined_without_spaces() -> None:
    lines = split_lines("\n".join([JA_LEAD, JA_LINK, JA_REST]))
    assert [line.text for line in lines] == [JA_LEAD + JA_LINK + JA_REST]


def test_a_latin_word_in_a_cut_cjk_sentence_keeps_its_spaces() -> None:
    lines = split_lines("\n".join([JA_LEAD, "Harbour Works", JA_REST]))
    assert [line.text for line in lines] == [JA_LEAD + " Harbour Works " + JA_REST]


def test_cjk_menu_items_and_lines_after_a_blank_stay_apart() -> None:
    menu = ["ニュース", "スポーツ", "天気", "経済"]  # no full stop: no running text
    assert [line.text for line in split_lines("\n".join(menu))] == menu
    apart = split_lines("\n\n".join([JA_LEAD, JA_LINK]))
    assert [line.text for line in apart] == [JA_LEAD, JA_LINK]
    bracket = split_lines("\n".join([JA_LEAD, "【関連記事】"]))
    assert len(bracket) == 2


def test_a_paragraph_opening_with_an_ideographic_space_rejoins_from_its_first_piece() -> None:
    lines = split_lines(
        "\n".join(["\u3000元市長の", "山田太郎", "氏が、港の再開発について語った。"])
    )
    assert [line.text for line in lines] == ["元市長の山田太郎氏が、港の再開発について語った。"]


def test_cjk_full_stops_count_as_sentences_without_a_space_after_them() -> None:
    line = split_lines("今日は雨でした。明日は晴れるでしょう。週末は風が強くなります")[0]
    assert line.sentences == 2


def test_two_cjk_sentences_ending_on_a_credit_are_prose_without_a_stop_list() -> None:
    text = (
        "市は工事が来春に始まると発表した。費用は約四億円で、港の利用者の負担はない。（市広報課）"
    )
    line = split_lines(text)[0]
    assert not line.terminal
    assert _quality(line, None, has_stops=False) in (GOOD, NEAR)


def test_a_title_cut_short_with_three_dots_is_no_sentence() -> None:
    cut = split_lines(
        "Harbour dredging to start next spring as the council and the port agree on..."
    )[0]
    assert _quality(cut, None, has_stops=True) == SHORT
    whole = split_lines(
        "Harbour dredging will start next spring, as the council and the port agree."
    )[0]
    assert _quality(whole, None, has_stops=True) in (GOOD, NEAR)
    trailing = split_lines(
        "The skippers waited and waited for the dredgers to come back, and then...."
    )[0]
    assert _quality(trailing, None, has_stops=True) != SHORT  # four dots: a voice, not a cut


def test_the_japanese_javascript_notice_is_navigation() -> None:
    assert (
        classify_line(
            "JavaScriptが無効になっています。すべての機能を利用するには設定を有効にしてください。"
        )
        == "nav"
    )
    assert classify_line("JavaScriptを有効にしてください") == "nav"


def test_a_markdown_story_list_of_linked_headlines_with_summaries_is_dropped() -> None:
    teasers = [
        "  * [Council approves new cycle lanes for the old town](https://example.com/a) "
        "The council voted on Tuesday to build three new cycle lanes through the old town.",
        "  * [Ferry service to the islands resumes after storm](https://example.com/b) "
        "Ferries to the islands are running again after two days of high winds and waves.",
        "  * [Library extends its opening hours over the summer](https://example.com/c) "
        "The town library will stay open until nine in the evening from the start of July.",
    ]
    page = "\n\n".join(["# Dredging plan approved", *HARBOUR_STORY, "\n".join(teasers)])
    assert clean_text(page).paragraphs == HARBOUR_STORY


def test_an_articles_list_of_linked_tools_with_descriptions_stays() -> None:
    tools = [
        "  * [Tidewatch](https://example.com/a) shows the tide tables for each harbour.",
        "  * [Dredgelog](https://example.com/b) keeps a record of every dredging job.",
        "  * [Boatcount](https://example.com/c) counts the boats that enter the port each day.",
    ]
    page = "\n\n".join(["# Dredging plan approved", *HARBOUR_STORY, "\n".join(tools)])
    body = clean_text(page).body
    assert "Tidewatch shows the tide tables" in body


def test_the_article_printed_again_in_one_line_is_dropped() -> None:
    copy = " ".join(HARBOUR_STORY + FOOTBRIDGE_STORY)
    page = "\n\n".join(
        ["Dredging plan approved", *HARBOUR_STORY, *FOOTBRIDGE_STORY, "2019-07-02T22:14:45", copy]
    )
    paragraphs = clean_text(page).paragraphs
    assert copy not in paragraphs
    assert all(p in paragraphs for p in HARBOUR_STORY + FOOTBRIDGE_STORY)


def test_a_paragraph_repeated_as_it_is_stays_for_the_repeat_rules() -> None:
    # the same paragraph twice is no copy of the article (Lorem-ipsum test pages keep both)
    long = " ".join(HARBOUR_STORY) + " " + " ".join(FOOTBRIDGE_STORY)
    page = "\n\n".join(["Dredging plan approved", long, long])
    assert clean_text(page).paragraphs.count(long) == 2
