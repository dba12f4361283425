"""A consent banner that a markdown dump printed as one long paragraph, past the cookie
rules' length guard (issue 15). Pages written for these tests."""

from __future__ import annotations

from cleaning.text import clean_text
from tests.text_pages import FOOTBRIDGE_STORY

BANNER = (
    "We use cookies and similar tools to run this website, remember your settings, measure "
    "how the pages are used and show you offers that may interest you. Some of them are set "
    "by third-party partners who help us with advertising and statistics. You can read more "
    "in our privacy notice. By choosing to go on, you give your consent to all of these uses "
    "until you withdraw it on the settings page, which you can open at any time from the "
    "footer of every page."
)


def test_a_long_consent_banner_over_the_article_is_dropped() -> None:
    page = "\n".join([BANNER, "Accept and continue", "Local news",
                      "Footbridge at the old mill to be rebuilt", *FOOTBRIDGE_STORY])  # fmt: skip
    result = clean_text(page)
    assert BANNER not in result.body
    for paragraph in FOOTBRIDGE_STORY:
        assert paragraph in result.paragraphs


def test_a_paragraph_about_tracking_cookies_in_an_article_stays() -> None:
    about = (
        "Browsers now block many third-party cookies by default, which has made tracking "
        "people from one website to the next harder for advertisers, and several of the "
        "largest networks have said that they are testing other ways to measure how many "
        "people see an advert without following them around the web or storing a cookie, "
        "though regulators in several countries have said that they will look closely at "
        "whether the new methods are any kinder to the privacy of readers."
    )
    story = [*FOOTBRIDGE_STORY[:2], about, *FOOTBRIDGE_STORY[2:]]
    page = "\n".join(["Tech news", "Advertisers look for new ways to count", *story])
    result = clean_text(page)
    assert about in result.paragraphs
