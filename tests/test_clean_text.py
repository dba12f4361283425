"""clean_text on pages written for these tests (tests/fixtures/text/)."""

from __future__ import annotations

import json
from pathlib import Path

from cleaning import clean_text as lazy_clean_text
from cleaning.__main__ import main as cli_main
from cleaning.rules import FAMILIES
from cleaning.text import TextOptions, clean_text

FIXTURES = Path(__file__).parent / "fixtures" / "text"

# Reasons that are not rule families: where the page layout, not wording, decided.
STRUCTURAL_REASONS = {
    "boilerplate", "title", "byline", "dateline", "repeated", "repeated-text", "site-profile",
}  # fmt: skip

ARTICLE = """\
Menu
Home

City Library Extends Opening Hours for Exam Season

By Priya Natarajan

The central library will stay open until midnight on weekdays for the next six weeks, the city \
council announced on Tuesday, to give students a quiet place to revise before their exams.

The reading rooms on the second and third floors will be reserved for students, and the cafe on \
the ground floor will stay open until ten in the evening for the whole period.

Library staff said the late opening had been tried last year with a small group of volunteers \
and that more than two hundred students had used the rooms on a typical night.

The council expects the extra hours to cost about 40,000 euros, which will be paid from the \
education budget rather than from the library's own funds.
"""


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_package_exposes_clean_text_lazily() -> None:
    assert lazy_clean_text is clean_text


def test_paragraph_broken_over_lines_is_rejoined() -> None:
    art = clean_text(read("broken_paragraphs.txt"))
    assert art.title == "Orchard Growers Report Record Apple Harvest"
    assert len(art.paragraphs) == 3
    assert art.paragraphs[0].endswith(
        "helped by a warm spring and a late, dry summer that let "
        "the fruit ripen slowly on the trees."
    )
    assert "Prices at the wholesale market fell by ten percent in October" in art.paragraphs[1]


def test_inline_tag_fragments_of_a_get_text_dump_are_rejoined() -> None:
    # get_text("\n") puts every inline element on its own line.
    text = (
        "Ferry Service Resumes After Storm\n\n"
        "The ferry company \nNorthern Lines\n said on Friday that sailings to the islands would "
        "resume on Saturday morning, after "
        "two days of cancellations\n caused by the storm.\n\n" + ARTICLE.split("\n\n", 3)[3]
    )
    art = clean_text(text)
    assert art.paragraphs[0] == (
        "The ferry company Northern Lines said on Friday that sailings to the islands would "
        "resume on Saturday morning, after two days of cancellations caused by the storm."
    )


def test_markdown_links_are_unwrapped_and_link_menus_dropped() -> None:
    text = (
        "* [News](https://example.org/news)\n* [Sport](https://example.org/sport)\n"
        "* [Weather](https://example.org/weather)\n\n"
        "# Council Approves New Cycle Lanes\n\n"
        "The council approved [a plan](https://example.org/plan) on Thursday to build twelve "
        "kilometres of protected cycle lanes across the city centre over the next three years.\n\n"
        "![A cyclist on the bridge](https://example.org/img.jpg)\n\n"
        "The first section, along the river, is due to open in the spring, and the work will be "
        "paid for by a national grant for **sustainable transport** projects.\n\n"
        "[Read more about transport](https://example.org/transport) | "
        "[Contact us](https://example.org/contact)\n"
    )
    art = clean_text(text)
    assert art.title == "Council Approves New Cycle Lanes"
    assert art.paragraphs == [
        "The council approved a plan on Thursday to build twelve kilometres of protected cycle "
        "lanes across the city centre over the next three years.",
        "The first section, along the river, is due to open in the spring, and the work will be "
        "paid for by a national grant for sustainable transport projects.",
    ]
    assert "(https://" not in art.body


def test_threaded_comments_are_parsed_with_parents_and_stamps() -> None:
    art = clean_text(read("threaded_page.txt"))
    assert [c.author for c in art.comments] == ["Jonas Berg", "Anna K", "Pete Moreau"]
    jonas, anna, pete = art.comments
    assert jonas.parent is None and pete.parent is None
    assert anna.parent == 0, "the indented reply answers the comment above it"
    assert jonas.published == "2 days ago"
    assert pete.text == (
        "Twelve million extra is a lot of money for foundations.\n\n"
        "I would like to see the full accounts published by the council."
    )
    assert "Reply" not in {line for c in art.comments for line in c.text.splitlines()}
    assert not any("Comments" in p or "miserable in winter" in p for p in art.paragraphs)


def test_quoted_replies_and_reply_to_lines_set_parents() -> None:
    text = ARTICLE + (
        "\nLeave a Reply\n\n"
        "Marta Silva\n\nWill the library also open on Sundays during the exams?\n\n"
        "> Ben Carter\n>\n> Only the ground floor, according to the council website.\n\n"
        "Lucas Meyer\n\nIn reply to Marta Silva\n\nI asked the staff and they said no.\n\n"
        "Nadia Rahman\n\n@Ben Carter thanks, that is good to know.\n"
    )
    art = clean_text(text)
    authors = [c.author for c in art.comments]
    assert authors == ["Marta Silva", "Ben Carter", "Lucas Meyer", "Nadia Rahman"]
    # quote depth, an explicit "In reply to", and an @mention of an earlier commenter
    assert [c.parent for c in art.comments] == [None, 0, 0, 1]


def test_title_byline_and_date_go_to_metadata_not_body() -> None:
    art = clean_text(read("threaded_page.txt"), url="https://gazette.example/ferry")
    assert art.title == "Harbour Town Opens New Ferry Terminal After Decade of Delays"
    assert art.metadata.authors == ["Maria Lindqvist"]
    assert art.metadata.published == "2021-03-03"
    assert art.metadata.canonical_url == "https://gazette.example/ferry"
    assert art.metadata.language == "en"
    assert len(art.paragraphs) == 5
    assert all("Maria Lindqvist" not in p and "ADVERTISEMENT" not in p for p in art.paragraphs)


def test_repeated_headline_is_title_not_body() -> None:
    headline = "City Library Extends Opening Hours for Exam Season"
    art = clean_text(ARTICLE.replace(headline, f"{headline}\n\n{headline}"))
    assert art.title == headline
    assert headline not in art.body


def test_every_removal_names_a_rule_family_or_a_layout_reason() -> None:
    art = clean_text(read("threaded_page.txt"))
    reasons = {r.reason for r in art.removed}
    assert reasons <= set(FAMILIES) | STRUCTURAL_REASONS
    assert {"ads", "tags", "newsletter", "comment-chrome", "copyright", "share"} <= reasons


def test_site_profile_drops_lines_learned_for_the_site() -> None:
    house_line = (
        "The Valley Courier is owned by its readers and has reported on the valley since 1921."
    )
    page = ARTICLE + "\n" + house_line + "\n"
    without = clean_text(page)
    assert house_line in without.paragraphs, "a prose-like house line passes a single page"
    learned = clean_text(page, site_profile=[house_line.upper() + "  "])
    assert house_line not in learned.paragraphs
    assert any(r.reason == "site-profile" and r.text == house_line for r in learned.removed)
    assert learned.paragraphs == without.paragraphs[:-1]


def test_options_can_turn_off_comments_and_removal_records() -> None:
    art = clean_text(
        read("threaded_page.txt"), options=TextOptions(comments=False, record_removals=False)
    )
    assert art.comments == []
    assert art.removed == []
    assert len(art.paragraphs) == 5


def test_empty_and_blank_input() -> None:
    for text in ("", "   \n\n  \n"):
        art = clean_text(text)
        assert art.title is None and art.paragraphs == [] and art.comments == []


def test_page_without_article_text_keeps_no_chrome() -> None:
    art = clean_text("Home\nNews\nSport\nContact us\n© 2024 Example Media\n")
    assert art.paragraphs == []


def test_cli_cleans_text_files_to_jsonl(tmp_path: Path) -> None:
    src = tmp_path / "page.txt"
    src.write_text(read("threaded_page.txt"), encoding="utf-8")
    bad = tmp_path / "page.pdf"
    bad.write_bytes(b"%PDF-1.4")
    out = tmp_path / "out.jsonl"
    status = cli_main([str(src), str(bad), "-o", str(out)])
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert status == 1, "one unsupported file makes the run fail, after cleaning the rest"
    assert records[0]["source"] == str(src)
    assert records[0]["title"].startswith("Harbour Town")
    assert len(records[0]["comments"]) == 3
    assert records[0]["body"] == "\n\n".join(records[0]["paragraphs"])
    assert "error" in records[1]


def test_cli_writes_a_json_array_for_json_output(tmp_path: Path) -> None:
    src = tmp_path / "page.txt"
    src.write_text(read("broken_paragraphs.txt"), encoding="utf-8")
    out = tmp_path / "out.json"
    assert cli_main([str(src), "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(data, list) and data[0]["title"].startswith("Orchard")


STORY_LIST = "".join(
    f"{headline}\n\n{summary}\n\n"
    for headline, summary in [
        (
            "Bridge Repairs to Close Two Lanes Overnight",
            "Road crews will close two lanes of the river bridge every night this week while "
            "they replace the expansion joints, the transport office said.",
        ),
        (
            "School Choir Wins Regional Competition",
            "The choir of the north district school took first prize at the regional festival "
            "on Saturday, beating twelve other schools from across the province.",
        ),
        (
            "Market Hall Gets New Roof Before Winter",
            "Workers finished the new copper roof of the old market hall on Friday, two weeks "
            "ahead of schedule and slightly under the planned budget.",
        ),
        (
            "Volunteers Plant Trees Along the Canal",
            "More than a hundred volunteers planted young oaks and limes along the canal path "
            "on Sunday morning, despite the rain and a cold wind from the north.",
        ),
    ]
)


def test_story_list_is_not_taken_for_the_article() -> None:
    art = clean_text("Latest stories\n\n" + STORY_LIST + ARTICLE)
    assert art.title == "City Library Extends Opening Hours for Exam Season"
    assert len(art.paragraphs) == 4
    assert art.paragraphs[0].startswith("The central library will stay open until midnight")
    assert "canal" not in art.body and "choir" not in art.body


def test_zero_comments_link_under_the_headline_does_not_cut_the_article() -> None:
    page = ARTICLE.replace("By Priya Natarajan\n", "By Priya Natarajan\n\n0 Comments\n")
    art = clean_text(page)
    assert len(art.paragraphs) == 4
    assert art.comments == []


def test_list_announced_by_a_colon_stays_with_the_article() -> None:
    page = ARTICLE + (
        "\nThe extended hours apply at these branches:\n"
        "Central Library, Market Square\nNorth Branch, Mill Road\nHarbour Branch, Quay Street\n"
        "\n© 2024 City Council\n"
    )
    art = clean_text(page)
    assert art.paragraphs[-3:] == [
        "Central Library, Market Square",
        "North Branch, Mill Road",
        "Harbour Branch, Quay Street",
    ]
    assert "City Council" not in art.paragraphs[-1]


def test_schedule_after_the_article_stays_with_it() -> None:
    dates = [
        f"March {day} – {town} @ Town Hall"
        for day, town in [
            (3, "Easton"),
            (5, "Weston"),
            (9, "Northby"),
            (12, "Southam"),
            (15, "Midvale"),
        ]
    ]
    art = clean_text(ARTICLE + "\nTalk dates\n" + "\n".join(dates) + "\n")
    assert art.paragraphs[-5:] == dates


def test_numbered_wordpress_thread_under_a_thoughts_heading() -> None:
    thread = (
        "\n## 2 thoughts on “City Library Extends Opening Hours”\n\n"
        "  1. **Olga Berg** says:\n\n[ May 4, 2024 at 9:12 am ](https://example.org/#c1)\n\n"
        "Great news for my daughter, she revises there every evening.\n\n"
        "  2. **Tim Adler** says:\n\n[ May 4, 2024 at 10:40 am ](https://example.org/#c2)\n\n"
        "Will the cafe stay open late too?\n"
    )
    art = clean_text(ARTICLE + thread)
    assert len(art.paragraphs) == 4
    assert [(c.author, c.published) for c in art.comments] == [
        ("Olga Berg", "2024-05-04T09:12:00"),
        ("Tim Adler", "2024-05-04T10:40:00"),
    ]
    assert art.comments[1].text == "Will the cafe stay open late too?"


def test_byline_block_inside_the_article_does_not_open_the_comment_area() -> None:
    """A get_text byline block ("Von" / name / date, then a photo widget's label) between
    the teaser and the story is one name-and-stamp header, not two signed posts (the name
    line, and the label read as a name under a footer stamp, both lead back to it): the
    story under it stays body."""
    lead = (
        "Die Stadtwerke wollen bis zum Herbst alle Straßenlaternen der Altstadt auf sparsame "
        "Leuchten umstellen, wie der Bürgermeister am Montag im Stadtrat erklärte."
    )
    before = "\n\n".join(f"{lead} Das ist Absatz {n} des Vorspanns." for n in range(1, 6))
    after = [
        f"Absatz {n}: Die Arbeiten sollen nachts stattfinden, damit der Verkehr in den engen "
        "Gassen nicht leidet, und die Anwohner werden vorher schriftlich informiert."
        for n in range(1, 7)
    ]
    page = (
        "Neue Laternen für die Altstadt\n\n"
        + before
        + "\n\nVon\n\nLennart Laberenz\n\n19.10.2025\n\nBild vergrößern\n\n"
        + "\n\n".join(after)
        + "\n"
    )
    result = clean_text(page)
    assert not result.comments
    for paragraph in after:
        assert paragraph in result.paragraphs
