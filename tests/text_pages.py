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


# Five paragraphs of article prose, each a full sentence of 30-40 words.
FOOTBRIDGE_STORY = [
    "The county council agreed on Thursday to rebuild the footbridge over the river at "
    "the old mill, which has been closed since the floods two winters ago left one of "
    "its piers cracked and leaning towards the weir.",
    "Engineers had warned that a repair would only last a few years, and the new bridge "
    "will be wider, so that cyclists and people with prams can pass each other without "
    "one of them having to wait at the end of the span.",
    "Work is due to start in the spring and to take about five months, during which a "
    "temporary crossing will be put up a little further downstream, next to the "
    "allotments and the rowing club's boathouse.",
    "Residents who walk their children to the primary school on the far bank said they "
    "were glad that the long detour over the road bridge would soon be over, though some "
    "asked why the decision had taken so long to reach.",
    "The cost of the work, a little over a million, will be shared between the council "
    "and a regional transport fund, which has already paid for two similar bridges in "
    "villages along the same valley in recent years.",
]


# Three paragraphs of encyclopedia-style prose, each a full sentence.
VALLEY_STORY = [
    "The valley was settled by farmers in the twelfth century, who cleared the forest "
    "along the river and built the first mill below the old ford.",
    "The river rises in the hills to the north and flows south for about forty kilometres "
    "before it joins the larger stream at the market town.",
    "Most people in the valley work in farming, forestry or the two small factories that "
    "make furniture from the timber cut on the slopes above.",
]
