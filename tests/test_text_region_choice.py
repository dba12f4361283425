"""Which run of lines `clean_text` takes for the article (issue 15): pages where a run of
chrome that reads like prose (a consent dialog's option blurbs, ...) outweighs a short
story and the whole story was lost. Pages written for these tests."""

from __future__ import annotations

from cleaning.text import clean_text

STORY = [
    "On Tuesday night a dog woke its owners in the north of the town when someone tried "
    "to force the back door of the house.",
    "The dog barked so loudly that the intruder ran off across the gardens before the "
    "owner reached the kitchen, and nothing was taken from the house.",
    "Officers searched the nearby streets for an hour but found no one. The police ask "
    "anyone who saw a person running through the gardens to call the station.",
]

# Option blurbs of a consent dialog: each opens the same way, each reads as a sentence.
OPTIONS = [
    ("Functional", "The technical storage or access is strictly necessary for the "
     "legitimate purpose of enabling the use of a specific service explicitly requested "
     "by the subscriber or user, or for the sole purpose of carrying out a transmission."),
    ("Preferences", "The technical storage or access is necessary for the legitimate "
     "purpose of storing preferences that are not requested by the subscriber or user "
     "of the service you are using on this website today."),
    ("Statistics", "The technical storage or access that is used exclusively for "
     "anonymous statistical purposes, which without a subpoena or voluntary compliance "
     "on the part of your provider cannot be used to identify you."),
    ("Marketing", "The technical storage or access is required to create user profiles "
     "to send advertising, or to track the user on a website or across several websites "
     "for similar marketing purposes and offers."),
]  # fmt: skip


FOOTER = ["Emergency numbers", "Police", "110", "Fire brigade", "112", "Popular stories",
          "Jobs", "Advertise", "RSS feed", "Imprint", "Privacy", "Copyright 2023",
          "All rights reserved."]  # fmt: skip


def dialog() -> list[str]:
    lines = ["Manage your choices", "Always active"]
    for name, blurb in OPTIONS:
        lines += [name, name, blurb]
    return [*lines, "Manage options", "Manage services"]


def test_a_short_story_outweighs_a_dialog_of_blurbs_opening_alike() -> None:
    page = "\n".join(
        ["Town news", "Police", "Dog chases off a burglar", "Town news", "", *STORY, "",
         *FOOTER, "", *dialog()]
    )  # fmt: skip
    result = clean_text(page)
    for paragraph in STORY:
        assert paragraph in result.paragraphs
    assert not any(blurb in result.paragraphs for _, blurb in OPTIONS)


def test_a_list_of_points_opening_alike_inside_the_story_stays() -> None:
    points = [
        "A sudden rise in the number of calls: the switchboard may be overloaded and "
        "callers may wait longer than the usual two minutes.",
        "A sudden rise in the number of reports: a new scam may be going round the "
        "town and the officers will warn the schools about it.",
        "A sudden rise in the number of thefts: the night patrols may be moved to the "
        "streets where most of them have happened this month.",
    ]
    page = "\n".join(["Town news", "Police", "", STORY[0], *points, STORY[1], STORY[2],
                      "", "Imprint", "Privacy"])  # fmt: skip
    result = clean_text(page)
    for paragraph in [*STORY, *points]:
        assert paragraph in result.paragraphs
