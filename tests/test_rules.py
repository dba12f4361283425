"""Each noise rule family claims its own widget text and leaves article prose alone.

Examples are written for these tests (not taken from the seed pages)."""

from __future__ import annotations

import pytest

from cleaning.rules import COMMENT_ZONE, FAMILIES, classify_line, opens_thread

CHROME = {
    "icon-sprite": [
        "icon arrow-lefticon arrow-righticon searchicon closeicon menuicon playicon",
        "fa-facebook fa-twitter fa-envelope",
    ],
    "share": [
        "Facebook Twitter LinkedIn Email",
        "Share this story",
        "Share on WhatsApp Share on Telegram",
        "Enjoyed this piece? Share it with your friends!",
        "1.2k shares",
    ],
    "donation": [
        "$ 10",
        "25,000 €",
        "4 days left in our spring fund drive",
        "Support independent journalism: donate today",
        "Become a patron and get early access",
        "Support Riverside Weekly",
        "Support the Herald so we can keep reporting from the county courts",
    ],
    "newsletter": [
        "Sign up for our free morning briefing delivered to your inbox",
        "Get our weekly newsletter",
        "Enter your email address",
        "Breaking News Alerts",
        "Every morning we send an email with the five stories you need to read.",
        "Please check your inbox and click the activation link to confirm your email.",
    ],
    "cookie": [
        "We use cookies to improve your experience on this site.",
        "By continuing to browse this website you agree to our use of tracking",
        "Accept all",
    ],
    "comment-chrome": [
        "14 Comments",
        "Leave a comment",
        "Notify me of follow-up comments by email.",
        "Most Voted",
        "Load more comments",
        "Your email address will not be published. Required fields are marked *",
        "5 hours ago",
        "Reply",
    ],
    "comment-policy": [
        "Comments are moderated before they appear on the site.",
        "Please keep it civil: this is a space for respectful discussion among readers.",
        "Read our community guidelines before posting.",
    ],
    "disclaimer": [
        "Disclaimer: this column is for information only and is not investment advice.",
        "The views expressed in this article are the author's own.",
        "Note to readers: corrections can be sent to the desk at any time.",
        "These statements have not been evaluated by the Food and Drug Administration.",
    ],
    "copyright": [
        "© 2023 Valley Courier Ltd",
        "All rights reserved.",
        "This story was originally published on the Lakeside Post.",
        "(Photo: Jane Roe)",
        "Volunteers fill sandbags on the quay on Tuesday. (Photo by Sam Lee/Coast Daily)",
        "The harbour at dawn.Credit...Ana Ruiz for the Tribune",
        "Courtesy of the city archive",
    ],
    "bio": [
        "Reporting by Ana Ruiz; editing by Tom Hale",
        "Written by Sam Obi",
        "More articles by Tom Harker",
        "About the author",
        "Staff writer covering city hall and transport",
        "Dana Whitfield is a senior reporter for the Lakeside Post, covering housing and "
        "local government.",
    ],
    "caption": [
        "In this May 3, 2018, file photo, a ferry leaves the harbour at dusk.",
        "An artist's impression of the new station, as proposed by the architects.",
        "Jan Novak / Reuters",
        "Getty Images",
        "(AP Photo/Kim Lee, File)",
    ],
    "ads": [
        "Advertisement",
        "Story continues below advertisement",
        "Get your free trial issue now",
    ],
    "tags": [
        "Tags: elections, city council, budget",
        "Filed under: Science",
        "#climate #energy #policy",
    ],
    "nav": [
        "Skip to main content",
        "Home | World | Politics | Sport",
        "Previous article",
        "Page 2 of 5",
        "Image 3 of 12",
        "Back to Gallery",
    ],
    "related": [
        "Read more: Council votes to close the old library",
        "You may also like",
        "Related articles",
        "Don't miss",
        "More Great Science Stories",
    ],
    "paywall": [
        "This article is only available to subscribers",
        "Already a subscriber? Log in",
        "Dieser Artikel ist exklusiv für Abonnenten",
    ],
    "fragment": ["*", "()", "• 7", "x", "12"],
}

# Article sentences that merely mention a family's keyword must stay article text.
PROSE = [
    "Shares in the company fell by four percent after the chief executive resigned on Monday.",
    "The council said it would share the cost of the new bridge with the two neighbouring towns.",
    "Volunteers collected donations of food and clothing for the families who lost their homes "
    "in the flood, and the church hall stayed open through the night.",
    "Researchers found that the cookies sold at the fair contained twice the sugar the label "
    "claimed, a finding the bakery disputes strongly and plans to challenge in court.",
    "He told reporters that the comments attributed to him had been taken out of context.",
    "The museum will reopen next month after a two-year renovation of its east wing.",
    "The photo, taken in 1962, shows the mayor opening the first section of the canal.",
    "Parcels delivered every week by the new service reach the islands a day earlier.",
    "The photographer, who asked not to be named, said the pictures were taken in 2019.",
    "She is a reporter's daughter and grew up among newsrooms, she told the committee.",
    "Readers who subscribe to more than one paper are a shrinking group, the study found, "
    "and most of them are over sixty years old.",
    "In an interview, the editor said that the newsroom had never been busier than this year.",
]


@pytest.mark.parametrize(
    ("family", "line"), [(family, line) for family, lines in CHROME.items() for line in lines]
)
def test_family_claims_its_widget_text(family: str, line: str) -> None:
    assert classify_line(line) == family


@pytest.mark.parametrize("line", PROSE)
def test_article_prose_is_not_claimed_by_any_family(line: str) -> None:
    assert classify_line(line) is None


def test_every_family_named_in_the_contract_exists_and_is_exercised() -> None:
    required = {
        "icon-sprite", "share", "donation", "newsletter", "cookie", "nav", "related",
        "comment-chrome", "comment-policy", "disclaimer", "copyright", "bio", "ads", "tags",
    }  # fmt: skip
    assert required <= set(FAMILIES)
    assert set(FAMILIES) <= set(CHROME), "add examples for every family"


def test_comment_zone_families_are_families() -> None:
    assert set(COMMENT_ZONE) <= set(FAMILIES)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("23 Comments", True),
        ("Leave a Reply", True),
        ("Join the discussion", True),
        ("Comments (12)", True),
        ("Reply", False),
        ("Comments", False),
        ("3 hours ago", False),
    ],
)
def test_only_clear_openers_announce_a_thread(line: str, expected: bool) -> None:
    assert opens_thread(line) is expected


def test_whitespace_and_empty_lines() -> None:
    assert classify_line("   Advertisement   ") == "ads"
    assert classify_line("") is None
    assert classify_line("   ") is None
