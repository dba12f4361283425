"""Run real `scrapy crawl` processes from tests (a fresh process per crawl: Twisted's
reactor cannot be restarted inside one test process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Local servers answer in microseconds: politeness delays would only slow the tests.
FAST_LOCAL = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "NEWSCLEAN_CLEAN_WORKERS": "2",
    "LOG_LEVEL": "INFO",
}


def run_crawl(
    urls: str, database_url: str, *, settings: dict[str, str] | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    args, env = crawl_command(urls, database_url, settings)
    result = subprocess.run(
        args, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise AssertionError(
            f"crawl exited {result.returncode}\n--- stderr (tail) ---\n{result.stderr[-6000:]}"
        )
    return result


def start_crawl(
    urls: str, database_url: str, settings: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    """A crawl in the background, in its own process group (so a test can kill it with its
    cleaning workers), logging to `log`: a file, not a pipe nobody reads while the test
    waits, which would fill up and block the crawler."""
    args, env = crawl_command(urls, database_url, settings)
    with log.open("w") as out:
        return subprocess.Popen(
            args, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def crawl_command(
    urls: str, database_url: str, settings: dict[str, str] | None = None
) -> tuple[list[str], dict[str, str]]:
    args = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={urls}"]
    for name, value in {**FAST_LOCAL, **(settings or {})}.items():
        args += ["-s", f"{name}={value}"]
    return args, {**os.environ, "NEWSCLEAN_DATABASE_URL": database_url}
