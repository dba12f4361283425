"""Scrapy settings for newsclean. Every newsclean-specific setting starts with NEWSCLEAN_
and has its default here, with a one-line reason."""

BOT_NAME = "newsclean"
SPIDER_MODULES = ["spiders.spiders"]
NEWSPIDER_MODULE = "spiders.spiders"
COMMANDS_MODULE = "spiders.commands"

# Say who we are; sites block anonymous bots. Override with -s USER_AGENT=...
USER_AGENT = "newsclean/0.1 (+https://github.com/newsclean/newsclean)"

# --- Politeness: on by default, a scheduled crawl must not hammer a site.
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0
# Outputs of one callback processed at once: a page yields one item and its new links;
# Scrapy starts this many asyncio tasks per response whatever it yields (default 100).
CONCURRENT_ITEMS = 8

# --- Safety limits on what we download.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024  # a 20 MB+ "article" is not an article; recorded as too-large
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
REDIRECT_MAX_TIMES = 10  # redirect loops end as a recorded skip, not a hang
RETRY_TIMES = 2

# Let the spider see 4xx/5xx responses so it can record them as http-error skips
# (they would otherwise be dropped by HttpErrorMiddleware before anything is stored).
HTTPERROR_ALLOW_ALL = True

DOWNLOADER_MIDDLEWARES = {
    # Before RedirectMiddleware (600) sees the response: loops and offsite redirects end
    # as recorded skips instead of silently filtered requests.
    "spiders.middlewares.RedirectGuardMiddleware": 610,
    # After decompression (590) so content hashes match the stored bytes.
    "spiders.middlewares.IncrementalMiddleware": 585,
}
SPIDER_MIDDLEWARES = {
    # Only active with JOBDIR: makes kill -9 + restart lose nothing.
    "spiders.middlewares.CrawlJournal": 950,
}
EXTENSIONS = {
    # Mask passwords in URLs (database URLs) in every log line, Scrapy's own included.
    "spiders.extensions.RedactSecrets": 0,
    # Per-site figures of the run for the end-of-crawl monitors (spiders.monitoring).
    "spiders.monitoring.RunHealth": 500,
    # Runs SPIDERMON_SPIDER_CLOSE_MONITORS when the crawl ends (after the pipelines closed).
    "spidermon.contrib.scrapy.extensions.Spidermon": 510,
}

ITEM_PIPELINES = {
    "spiders.pipelines.CleanPipeline": 300,
    # Checks each cleaned item against spiders.monitoring.PAGE_ITEM_SCHEMA (counts only);
    # spidermon's ItemValidationPipeline on a shallow view of the item (no deep copy).
    "spiders.pipelines.PageValidationPipeline": 700,
    "spiders.pipelines.StorePipeline": 800,
}

# --- newsclean
# SQLAlchemy URL of the store; the NEWSCLEAN_DATABASE_URL environment variable wins over
# this default (sqlite:///data/news.db), an explicit -s setting wins over both.
NEWSCLEAN_DATABASE_URL = None
# Worker processes for cleaning (0 = one per core): cleaning is CPU-bound, the reactor is not.
NEWSCLEAN_CLEAN_WORKERS = 0
# Seconds one page may spend in the cleaner before it is recorded as cleaner-timeout.
NEWSCLEAN_CLEAN_TIMEOUT = 60.0
# The cleaning function the workers call, as "module:function" (tests swap in a cleaner
# that hangs or crashes to prove the pool survives).
NEWSCLEAN_CLEANER = "cleaning.html:clean_html"
# Pages per database transaction; bigger batches are faster, smaller lose less on a crash.
NEWSCLEAN_STORE_BATCH_SIZE = 50
# While the database is unreachable, retry a batch after 1 s, 2 s, 4 s... (at most
# MAX_DELAY apart) and give up after TIMEOUT seconds; downloading pauses meanwhile.
NEWSCLEAN_STORE_RETRY_DELAY = 1.0
NEWSCLEAN_STORE_RETRY_MAX_DELAY = 30.0
NEWSCLEAN_STORE_RETRY_TIMEOUT = 900.0
# Re-crawls: conditional GET, sitemap lastmod / feed dates and content hashes against the
# stored pages, so unchanged articles are neither downloaded in full nor cleaned again.
NEWSCLEAN_INCREMENTAL = True
# Follow links from article pages too (not just from index pages, feeds and sitemaps).
NEWSCLEAN_FOLLOW_ARTICLE_LINKS = True
# Also try /sitemap.xml and robots.txt "Sitemap:" lines of each start site.
NEWSCLEAN_USE_SITEMAPS = True
# Pass each site's learned boilerplate lines (storage.profiles) to the cleaner.
NEWSCLEAN_SITE_PROFILES = True
# Relearn the profiles of the sites a crawl stored articles for, when it ends.
NEWSCLEAN_LEARN_SITE_PROFILES = True
# Also follow RSS/Atom feeds linked from pages (<link rel="alternate">).
NEWSCLEAN_USE_FEEDS = True
# Redis URL (redis://host:6379/0) of a shared crawl; the environment variable of the same
# name works too. Set -> this process is one worker of a distributed crawl (spiders.addons).
NEWSCLEAN_REDIS_URL = None
# Seconds between an idle distributed worker's looks at the shared queue for new work.
NEWSCLEAN_REDIS_POLL_INTERVAL = 1.0
# DistributedMode switches on scrapy-redis' scheduler and dupefilter when a Redis URL is set
# (and does nothing otherwise).
ADDONS = {"spiders.addons.DistributedMode": 0}
# Distributed mode: one politeness budget per site shared by all workers (spiders.budget),
# so DOWNLOAD_DELAY, robots.txt Crawl-delay and AutoThrottle pace the whole crawl.
NEWSCLEAN_SHARED_BUDGET = True
# Shared turns are spaced this share above the delay (0: a site's next request leaves one
# delay after the previous answer began, which already keeps every gap it sees >= delay).
NEWSCLEAN_BUDGET_HEADROOM = 0.0

# --- End-of-crawl monitors (spidermon; spiders/monitoring.py, docs/reports.md).
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["spiders.monitoring.CrawlHealthSuite"]
# Every article needs a title and a body, every comment text; 0 = any invalid item fails.
SPIDERMON_VALIDATION_SCHEMAS = ["spiders.monitoring.PAGE_ITEM_SCHEMA"]
SPIDERMON_MAX_ITEM_VALIDATION_ERRORS = 0
# A site that yields fewer articles than this in a run fails the run's checks.
NEWSCLEAN_MONITOR_MIN_ARTICLES = 1
# Ceiling on the share of a site's pages skipped for a failure (index pages, robots.txt
# exclusions and duplicates do not count).
NEWSCLEAN_MONITOR_MAX_SKIP_RATE = 0.5
# Drift, each site against the median of its last NEWSCLEAN_DRIFT_HISTORY runs: median
# words per article down by this share or more (a template change that cuts bodies) ...
NEWSCLEAN_DRIFT_WORDS_DROP = 0.4
# ... share of pages empty after cleaning or not articles up by this many points or more ...
NEWSCLEAN_DRIFT_EMPTY_RISE = 0.25
# ... share of articles with comments down by this share or more (comments vanishing) ...
NEWSCLEAN_DRIFT_COMMENTS_DROP = 0.8
# ... one removal family up by this many lines per article and at least doubled.
NEWSCLEAN_DRIFT_REMOVAL_JUMP = 1.0
NEWSCLEAN_DRIFT_HISTORY = 5
# Exit `scrapy crawl` with status 3 when a check failed, so cron and Scrapyd notice.
NEWSCLEAN_FAIL_ON_DRIFT = False
# Write an HTML report of each run into this directory (crawl-run-<id>.html); None = don't.
NEWSCLEAN_REPORT_DIR = None

# Modern Scrapy defaults, stated so a change in Scrapy does not change our behaviour.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
