"""A box of links to other stories under a worded "related" heading ("More on this
story", "Mehr zum Thema"), its headlines stacked over kickers or not, is dropped where
it stands inside the article, and the article goes on after it; a heading over a date
stamp is left to the thread finder (issue 15). Pages written for these tests."""

from __future__ import annotations

import pytest

from cleaning.text import clean_text
from tests.text_pages import HARBOUR_STORY

BEFORE = HARBOUR_STORY
AFTER = [
    "Engineers expect the dredging to take eleven weeks, during which the ferry will use "
    "the northern berth and the fish market will open an hour later than usual.",
    "The silt will be taken out to sea and dumped at a site chosen after a study of the "
    "currents, which the authority says will keep it from drifting back into the bay.",
]
BOX = [
    "Fishing quotas",
    "Why the cod stayed away this winter",
    "Ferry timetable changes from May",
    "New fish market opens its doors",
]


@pytest.mark.parametrize("heading", ["More on this story", "Mehr zum Thema", "Leggi anche"])
def test_a_headed_box_of_links_inside_the_article_is_dropped(heading: str) -> None:
    page = "\n".join(["Harbour news", "Channel to be dredged next spring", *BEFORE,
                      heading, *BOX, *AFTER, "Contact", "Imprint"])  # fmt: skip
    result = clean_text(page)
    for headline in BOX:
        assert headline not in result.paragraphs
    for paragraph in [*BEFORE, *AFTER]:
        assert paragraph in result.paragraphs


MORE_BEFORE = [
    "Residents of the quay had asked for the work to be done outside the summer season, "
    "when the narrow streets around the harbour are full of visitors and delivery vans.",
    "The authority agreed to start in late February and promised to keep the slipway open "
    "for the lifeboat at all times, with a tug on standby in case of a callout at night.",
    "A first attempt to clear the channel, in the autumn of the flood year, was abandoned "
    "after a week when the hired dredger broke down and had to be towed to a yard upriver.",
    "Since then the cooperative has paid for soundings every quarter, and its figures were "
    "used by the authority's engineers when they drew up the plan approved this week.",
    "The town council, which had opposed an earlier scheme that would have widened the "
    "channel as well, said it welcomed a plan that kept to the old line of the harbour.",
    "Two of the larger boats have already said they will move back from the town across "
    "the bay once the work is done, and a third is waiting for the new fish market.",
    "The harbour master said the port had lost about a fifth of its landings since the "
    "floods, most of them to the deeper quay across the bay, and hoped to win them back.",
]
# one closing paragraph, longer than a teaser's summary, short beside the article above
LAST = (
    "Once the channel is clear, the authority wants to sound it twice a year and to clear "
    "small banks of silt as soon as they form, so that the port never again has to close "
    "its inner berths to the larger boats for years at a time; the cooperative has offered "
    "to share the cost of the soundings, and the council has promised to pay for a new "
    "tide gauge at the harbour mouth."
)


def test_the_last_paragraph_after_a_headed_box_near_the_end_stays() -> None:
    page = "\n".join(["Harbour news", "Channel to be dredged next spring", *BEFORE,
                      *MORE_BEFORE, "Mehr zum Thema", *BOX, LAST, "Contact", "Imprint",
                      "Newsletter", "Share"])  # fmt: skip
    result = clean_text(page)
    assert LAST in result.paragraphs
    for headline in BOX:
        assert headline not in result.paragraphs
