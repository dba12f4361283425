#!/usr/bin/env bash
# Schedule one `news` crawl on a Scrapyd server (for cron). Each run becomes a Scrapyd job
# and a crawl_runs row with its stats.
#   SCRAPYD_URL   default http://127.0.0.1:6800
#   SEEDS         start URLs, comma-separated (or use urls_file on the Scrapyd host)
# Extra arguments are passed to schedule.json, e.g. -d setting=CLOSESPIDER_TIMEOUT=3600
set -euo pipefail
SCRAPYD_URL=${SCRAPYD_URL:-http://127.0.0.1:6800}
: "${SEEDS:?set SEEDS=https://site/[,https://other/]}"
curl -fsS "$SCRAPYD_URL/schedule.json" -d project=newsclean -d spider=news \
  --data-urlencode "url=$SEEDS" "$@"
echo
