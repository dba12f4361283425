"""A throwaway Redis server for the test session, from the Debian `redis-server` package.

Fixtures:
- `redis_server` (session): a running `RedisServer` on a free 127.0.0.1 port, no
  persistence, in a temporary directory; stopped and removed at the end.
- `redis_url` (function): a URL on that server with its database flushed first, so each
  test starts from an empty frontier.

No `redis-server` binary -> the tests that use it skip, except under CI=true where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.plugins import free_port
from tests.shared_data import unavailable


class RedisServer:
    def __init__(self, binary: str, base_dir: Path) -> None:
        self.binary = binary
        self.base_dir = base_dir
        self.port = free_port()
        self.pidfile = base_dir / "redis.pid"
        self.logfile = base_dir / "redis.log"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # No RDB/AOF files: the data of a test run is worth nothing after it.
        subprocess.run(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--daemonize", "yes",
             "--dir", str(self.base_dir), "--pidfile", str(self.pidfile),
             "--logfile", str(self.logfile), "--save", "", "--appendonly", "no"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self.ping():
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not answer on {self.url}:\n{self.log()}")
            time.sleep(0.05)

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=1).ping())
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        try:
            pid = int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return
        try:
            os.kill(pid, 15)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 10
        while self.pidfile.exists() and time.monotonic() < deadline:
            time.sleep(0.05)

    def log(self) -> str:
        return self.logfile.read_text(errors="replace") if self.logfile.exists() else "(no log)"


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server not found; install it with `apt-get install -y redis-server`"
        unavailable(message)
    base_dir = Path(tempfile.mkdtemp(prefix="newsclean-redis-"))
    server = RedisServer(binary, base_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(base_dir, ignore_errors=True)


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    import redis

    client = redis.Redis.from_url(redis_server.url)
    try:
        client.flushdb()
    finally:
        client.close()
    return redis_server.url
