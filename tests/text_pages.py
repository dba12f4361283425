"""Running text shared by the plain-text cleaning tests: a local news story written for
these tests, to set a page's labelled noise lines in."""

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
