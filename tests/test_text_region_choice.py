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


# Release notes printed as bare list items: a few words each, no full stops, one item
# long enough to pass for a sentence.
NOTES = [
    "Added a planting calendar for the northern hemisphere",
    "Added frost warnings for the beds you have marked as tender",
    "Seed packets can now be scanned with the camera",
    "The watering list is sorted by the driest bed first",
    "Fixed a crash when a bed had no plants in it",
    "Moved the compost log to its own page",
    "Photos of a bed now show the date they were taken",
    "Added a dark theme for use in the greenhouse at night",
    "The harvest chart can be printed on a single sheet",
    "Beds can now be shared with the other members of an allotment, who can add notes to "
    "them and see the watering list?",
    "Removed the old weather widget",
    "Sowing dates now follow the last frost date of your town",
    "The app starts faster on older phones",
]


def notes_page() -> str:
    return "\n".join(
        ["Garden Planner 2.4 - Garden Planner news", "Garden Planner news", "Home", "Blog",
         "", "Garden Planner 2.4", "", *NOTES, "", "Newer", "Older", "Links:", "Help",
         "Forum", "Shop", "Contact"]
    )  # fmt: skip


def test_a_page_of_list_items_without_prose_keeps_the_items() -> None:
    result = clean_text(notes_page())
    for note in NOTES:
        assert note in result.paragraphs
    assert "Forum" not in result.paragraphs
    assert "Garden Planner 2.4" not in result.paragraphs  # the headline over the list


TEASERS = [
    "Why the beans failed this summer",
    "Ten herbs that grow on a cold windowsill",
    "How we built the new raised beds",
    "Our favourite tools for heavy clay soil",
    "What to sow in the first week of March",
    "A visit to the seed library in town",
    "The best apple trees for a small garden",
    "Keeping slugs away without pellets",
    "Notes from the allotment open day",
    "Growing potatoes in sacks on a balcony",
]


def test_a_short_note_is_not_traded_for_a_list_of_teasers_beside_it() -> None:
    note = ("The allotment gates will stay locked on Saturday while the water pipes are "
            "repaired, so please water your beds on Friday evening.")  # fmt: skip
    page = "\n".join(
        ["Allotment news", "Gates closed on Saturday", "", note, "", "Share this:",
         "Twitter", "Facebook", "Like this:", "", *TEASERS, "", "Contact"]
    )  # fmt: skip
    result = clean_text(page)
    assert note in result.paragraphs
    assert not any(teaser in result.paragraphs for teaser in TEASERS)


# A stream of story teasers: headline, a summary in sentences, source, section, again
# and again; each summary stands alone between short lines.
STREAM = [
    ("Council votes to close the old swimming pool",
     "The town council voted on Monday to close the old swimming pool at the end of the "
     "year, saying that the repairs it needs would cost more than building a new one on "
     "the other side of the park."),
    ("Bakery on the market square wins a national prize",
     "A family bakery that has stood on the market square for ninety years has won a "
     "national prize for its rye bread, which is still baked in the wood oven that the "
     "founder built himself."),
    ("Roadworks on the ring road will last until spring",
     "Drivers on the ring road should expect delays until the spring, when the work on "
     "the bridge over the railway is due to finish, the highways office said in a "
     "statement on its website."),
    ("Library opens its doors on Sundays from next month",
     "The town library will open on Sunday afternoons from next month after a trial "
     "last winter brought in more readers than any other day of the week, most of them "
     "families with young children."),
]  # fmt: skip


MENU = ["Town news", "Home", "Local", "Sport", "Culture", "Business", "Weather", "Jobs",
        "Events", "Photos", "Video", "Search", "Log in"]  # fmt: skip


def test_a_story_below_a_longer_stream_of_teasers_is_the_body() -> None:
    story = [*STORY, "The owners said that the dog, a six-year-old sheepdog called Bruno, "
             "was given an extra sausage for breakfast the next morning."]  # fmt: skip
    teasers = []
    for headline, summary in STREAM:
        teasers += [headline, summary, "Town Courier", "Local"]
    page = "\n".join(
        ["Town news", "Home", "Local", "Sport", "", *teasers, "", *FOOTER, "", *MENU, "",
         "Dog chases off a burglar", "", *story, "", "Privacy", "Imprint"]
    )  # fmt: skip
    result = clean_text(page)
    for paragraph in story:
        assert paragraph in result.paragraphs
    assert not any(summary in result.paragraphs for _, summary in STREAM)
