"""Running text shared by the plain-text cleaning tests: local news stories written
for these tests, to set a page's labelled noise lines in."""

from __future__ import annotations

# Three paragraphs of article prose, each a full sentence of 25-30 words.
HARBOUR_STORY = [
    "The harbour authority has approved a plan to dredge the old channel next spring, "
    "ending a dispute that has kept larger fishing boats out of the port for six years.",
    "Skippers had complained that the silt left by two winter floods made the channel too "
    "shallow at low tide, forcing them to land their catch in the town across the bay.",
    "The work will cost about four million and will be paid for in equal parts by the "
    "region, the port's owners and a fund set up by the fishing cooperative last year.",
]


# A standfirst and three paragraphs of article prose, each a full sentence.
CINEMA_STANDFIRST = (
    "The town's only cinema will reopen in the autumn after a local cooperative raised "
    "enough money to buy the building and replace its roof and projectors."
)
CINEMA_STORY = [
    "Members of the cooperative, which was founded two years ago by a group of neighbours, "
    "have pledged to show new films every weekend and older ones on weekday evenings.",
    "The building has stood empty since the last owner retired, and several plans to turn "
    "it into flats were turned down by the council after residents objected.",
    "Volunteers will run the box office and the small cafe in the foyer, while two "
    "projectionists will be paid from the ticket sales once the doors open.",
]
