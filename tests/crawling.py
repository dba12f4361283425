"""Run real `scrapy crawl` processes from tests (a fresh process per crawl: Twisted's
reactor cannot be restarted inside one test process)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


# --- distributed mode: several worker processes on one Redis ----------------------------


def scrapy_command(*args: str, redis_url: str, settings: dict[str, str]) -> list[str]:
    command = [sys.executable, "-m", "scrapy", *args, "-s", f"NEWSCLEAN_REDIS_URL={redis_url}"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command


def run_workers(
    count: int,
    redis_url: str,
    database_url: str,
    log_dir: Path,
    settings: dict[str, str],
    seeds: list[str] | None = None,
    timeout: float = 240,
    before_seeds: Callable[[], None] | None = None,
) -> list[dict[str, Any]]:
    """Start `count` `scrapy crawl news` workers; with `seeds`, push them once every worker
    is up and waiting (so none can finish a small site before the others have started),
    after calling `before_seeds`; then wait until all have closed on their own."""
    from spiders.distributed import keys_for, push_seeds

    env = {**os.environ, "NEWSCLEAN_DATABASE_URL": database_url}
    procs, logs = [], []
    for n in range(count):
        log = log_dir / f"worker-{uuid.uuid4().hex[:8]}-{n}.log"
        command = scrapy_command(
            "crawl", "news", redis_url=redis_url, settings={**settings, "LOG_FILE": str(log)}
        )
        with (log_dir / f"{log.stem}.err").open("w") as err:
            procs.append(subprocess.Popen(command, cwd=REPO, env=env, stdout=err, stderr=err))
        logs.append(log)
    try:
        if seeds:
            _wait_for(lambda: all(_read(log).count("Spider opened") for log in logs), procs)
            if before_seeds is not None:
                before_seeds()
            import redis

            client = redis.Redis.from_url(redis_url)
            push_seeds(client, keys_for("news"), seeds)
            client.close()
        started = time.monotonic()
        for proc in procs:
            proc.wait(timeout=timeout)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    results = [
        {"code": proc.returncode, "log": _read(log) + _read(log.with_suffix(".err"))}
        for proc, log in zip(procs, logs, strict=True)
    ]
    for result in results:
        assert result["code"] == 0, result["log"][-6000:]
    results[0]["elapsed"] = time.monotonic() - started
    return results


def _wait_for(condition: Callable[[], bool], procs: list[Any], timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            raise AssertionError("workers did not start (or one exited early)")
        time.sleep(0.1)


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""
