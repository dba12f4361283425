"""A picture gallery flattened in line beside the article: each slide opens with its
counter ("1/6", "2/6" ...), then its title, caption and credit (issue 15). Pages written
for these tests."""

from __future__ import annotations

from cleaning.text import clean_text
from tests.text_pages import FOOTBRIDGE_STORY

SLIDES = [
    ("Market hall reopens", "The covered market reopened on Saturday after a year of repairs to "
     "its glass roof, with forty stalls selling food, flowers and second-hand books."),
    ("Ferry timetable changes", "The ferry to the islands will sail twice a day from next month, "
     "after the operator added a second boat to the route for the summer season."),
    ("Library extends hours", "The central library will stay open until eight on weekdays, the "
     "council said, after a survey found that many readers could only come after work."),
    ("New bus shelters", "Twenty new bus shelters with timetable screens have been put up along "
     "the coast road, replacing the old ones that were damaged in the winter storms."),
]  # fmt: skip


def gallery(glued: bool = False) -> list[str]:
    lines = ["Local news in pictures"]
    for number, (title, caption) in enumerate(SLIDES, 1):
        counter = f"{number}/{len(SLIDES)}"
        lines += [f"{counter} {title}"] if glued else [counter, title]
        lines += [caption, "Photo Agency"]
    return lines


def test_a_gallery_of_numbered_slides_after_the_article_is_dropped() -> None:
    page = "\n".join(["News", "Footbridge to be rebuilt", *FOOTBRIDGE_STORY, *gallery(),
                      "About us", "Contact"])  # fmt: skip
    result = clean_text(page)
    for paragraph in FOOTBRIDGE_STORY:
        assert paragraph in result.body
    for title, caption in SLIDES:
        assert caption not in result.body
        assert title not in result.body


def test_a_gallery_whose_counters_open_the_slide_titles_is_dropped() -> None:
    page = "\n".join(["News", "Footbridge to be rebuilt", *FOOTBRIDGE_STORY[:3],
                      *gallery(glued=True), *FOOTBRIDGE_STORY[3:]])  # fmt: skip
    result = clean_text(page)
    for paragraph in FOOTBRIDGE_STORY:
        assert paragraph in result.body
    assert not any(caption in result.body for _, caption in SLIDES)


def test_a_story_told_in_slides_keeps_its_slides() -> None:
    page = "\n".join(["News", "What changes in town this summer", *gallery(), "About us"])
    result = clean_text(page)
    assert sum(caption in result.body for _, caption in SLIDES) >= 3


def test_an_article_goes_on_after_a_gallery_in_its_middle() -> None:
    page = "\n".join(["News", "Footbridge to be rebuilt", *FOOTBRIDGE_STORY[:3], *gallery(),
                      *FOOTBRIDGE_STORY[3:], "About us"])  # fmt: skip
    result = clean_text(page)
    for paragraph in FOOTBRIDGE_STORY:
        assert paragraph in result.body
    assert not any(caption in result.body for _, caption in SLIDES)
