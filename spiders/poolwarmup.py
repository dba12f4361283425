"""Build once, in the cleaning pool's forkserver, what the default cleaner builds on first use.

spiders.cleanpool has the forkserver import `spiders.poolwarmup_preload`, which calls
`warm_up` (set_forkserver_preload), when the crawl uses the default cleaner. The
forkserver then forks every cleaning worker from a process that has the rule tables of
every line length and the patterns, XPath expressions and selectors compiled on a first
page, so a worker starts with them (copy-on-write) instead of building them again on its
own first pages: a few tenths of a second of CPU per worker, per crawl.

The page below is made up for this purpose: a generic article with the usual widgets and
a threaded comment list, so the warm-up runs the body, metadata and comment paths. Only
pure caches are filled (nothing the cleaner keeps changes what it returns), and a failure
here must never stop a crawl: the workers would then build what they need themselves.
"""

from __future__ import annotations

import gc
import logging

logger = logging.getLogger(__name__)

SAMPLE_URL = "http://warmup.invalid/news/2026/01/harbour-council-vote.html"
_PROSE = (
    "The harbour council voted on Tuesday to repair the old bridge before winter, after "
    "a survey found cracks in two of its arches and engineers warned the repairs could "
    "not wait until spring. "
)
SAMPLE_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Council votes to repair the harbour bridge | The Gazette</title>
<meta name="description" content="The council approved the repairs on Tuesday.">
<meta property="og:title" content="Council votes to repair the harbour bridge">
<meta name="author" content="Ada Brennan">
<meta property="article:published_time" content="2026-01-13T08:00:00+00:00">
<link rel="canonical" href="{SAMPLE_URL}">
<link rel="alternate" type="application/rss+xml" href="/feed/">
<script type="application/ld+json">{{"@context": "https://schema.org",
"@type": "NewsArticle", "headline": "Council votes to repair the harbour bridge",
"author": {{"@type": "Person", "name": "Ada Brennan"}},
"datePublished": "2026-01-13T08:00:00+00:00"}}</script>
</head><body>
<header><nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/news/">News</a></li>
<li><a href="/sport/">Sport</a></li><li><a href="/about/">About us</a></li></ul></nav></header>
<main><article class="post">
<h1 class="entry-title">Council votes to repair the harbour bridge</h1>
<p class="byline">By <a rel="author" href="/author/ada/">Ada Brennan</a>
<time datetime="2026-01-13T08:00:00+00:00">13 January 2026</time></p>
<div class="share"><a href="https://facebook.com/sharer">Facebook</a>
<a href="https://twitter.com/share">Twitter</a><a href="mailto:?">Email</a></div>
<div class="entry-content">
<p>{_PROSE * 2}</p><p>{_PROSE}The mayor said the vote was close.</p>
<h2>What happens next</h2><p>{_PROSE * 3}</p>
<blockquote><p>"We cannot leave it another year," one engineer said.</p></blockquote>
<ul><li>Repairs start in March.</li><li>The road stays open at night.</li></ul>
<p>{_PROSE}</p>
</div>
<aside class="newsletter"><p>Sign up for our free morning newsletter</p>
<form><input type="email" placeholder="Your email address"><button>Subscribe</button></form>
</aside>
<div class="related"><h3>Related stories</h3><ul><li><a href="/news/a.html">Bridge closed
after storm</a></li><li><a href="/news/b.html">Budget talks stall</a></li></ul></div>
</article>
<div id="comments" class="comments-area"><h2 class="comments-title">2 thoughts on
"Council votes to repair the harbour bridge"</h2>
<ol class="comment-list">
<li id="comment-1" class="comment depth-1"><article class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Tomasz Wicz</b>
<span class="says">says:</span></div><div class="comment-metadata"><a href="#comment-1">
<time datetime="2026-01-13T09:12:00+00:00">13 January 2026 at 9:12</time></a></div></footer>
<div class="comment-content"><p>About time. {_PROSE}</p></div>
<div class="reply"><a class="comment-reply-link" href="#respond">Reply</a></div></article>
<ol class="children"><li id="comment-2" class="comment depth-2"><article class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Leila Haddad</b>
<span class="says">says:</span></div><div class="comment-metadata"><a href="#comment-2">
<time datetime="2026-01-13T10:40:00+00:00">13 January 2026 at 10:40</time></a></div></footer>
<div class="comment-content"><p>The survey was published last year.</p></div>
<div class="reply"><a class="comment-reply-link" href="#respond">Reply</a></div></article>
</li></ol></li></ol>
<div id="respond"><h3>Leave a Reply</h3><p>Your email address will not be published.</p></div>
</div></main>
<footer><p>© 2026 The Gazette. All rights reserved.</p><a href="/privacy/">Privacy</a></footer>
</body></html>"""


def warm_up() -> None:
    """Build the rule tables of every line length and run one page through the whole
    worker path (spiders.pagework with the default cleaner), discarding the result."""
    try:
        from cleaning.rules import build_tables
        from spiders.cleanpool import DEFAULT_CLEANER, run_cleaner
        from spiders.pagework import PageJob, process_page
        from storage.signatures import DedupOptions

        build_tables()
        job = PageJob(SAMPLE_URL, SAMPLE_PAGE.encode(), "text/html; charset=utf-8",
                      dedup=DedupOptions())  # fmt: skip
        process_page(lambda html, url, profile: run_cleaner(DEFAULT_CLEANER, html, url), job)
    except Exception:  # never worth failing a crawl over: the workers build what they need
        logger.warning("cleaning warm-up failed; workers will warm up on their own", exc_info=True)

    # Imports and warm-up made the objects every worker inherits: out of the collector's
    # sight (gc.freeze, meant for this), a worker's collections neither walk them nor
    # write to their pages, which would copy those pages into the worker.
    gc.freeze()
