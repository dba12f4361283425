"""A throwaway PostgreSQL cluster for the test session, from the Debian package binaries.

Fixtures:
- `postgres_cluster` (session): a running `PostgresCluster`; `.stop()` / `.start()` let a
  test simulate an outage (same port and data, so URLs stay valid).
- `postgres_url` (session): a database on that cluster, shared by the session.
- `fresh_postgres_url` (function): a new empty database per test, dropped afterwards.
- `database_url` (function, parametrized "sqlite" / "postgres"): one test, both databases.

No binaries -> the Postgres tests skip, except under CI=true where they fail.
As root, every server command runs as the `postgres` user (the server refuses root), and
everything it writes (data dir, socket dir, log) is owned by `postgres`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import Store
from tests.plugins import free_port
from tests.shared_data import unavailable

POSTGRES_BIN_GLOB = "/usr/lib/postgresql/*/bin"
POSTGRES_USER = "postgres"
# A role that must log in with a password (everyone else is trusted), for the tests of a
# wrong password; pg_hba.conf takes the first matching line, so its line goes first.
PASSWORD_USER = "newsclean_password_user"
PASSWORD = "right-password"


class PostgresCluster:
    """initdb + pg_ctl on a free 127.0.0.1 port, in a temporary directory."""

    def __init__(self, bin_dir: Path, base_dir: Path):
        self.bin_dir = bin_dir
        self.base_dir = base_dir
        self.data_dir = base_dir / "data"
        self.socket_dir = base_dir / "socket"
        self.log_file = base_dir / "postgres.log"
        self.port = free_port()
        self.running = False

    @property
    def url(self) -> str:
        """URL of the maintenance database `postgres` (for CREATE/DROP DATABASE)."""
        return self.database_url("postgres")

    def database_url(self, name: str) -> str:
        return f"postgresql+psycopg://{POSTGRES_USER}@127.0.0.1:{self.port}/{name}"

    def init(self) -> None:
        self.socket_dir.mkdir(parents=True)
        self.log_file.touch()
        _chown_to_postgres(self.base_dir, self.socket_dir, self.log_file)
        self._run("initdb", "-D", str(self.data_dir), "-A", "trust", "-E", "UTF8", "--no-sync",
                  "-U", POSTGRES_USER)  # fmt: skip
        hba = self.data_dir / "pg_hba.conf"  # rewritten in place: owner and mode stay
        password_line = f"host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n"
        hba.write_text(password_line + hba.read_text())

    def start(self) -> None:
        options = f"-k {self.socket_dir} -c listen_addresses=127.0.0.1 -p {self.port} -c fsync=off"
        self._run("pg_ctl", "start", "-w", "-D", str(self.data_dir), "-l", str(self.log_file),
                  "-o", options)  # fmt: skip
        self.running = True

    def stop(self) -> None:
        self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data_dir))
        self.running = False

    def create_database(self, name: str) -> str:
        _check_identifier(name)
        self._admin(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def drop_database(self, name: str) -> None:
        _check_identifier(name)
        # FORCE (Postgres 13+) ends sessions a leaked connection may still hold.
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def create_password_role(self) -> str:
        """URL of the `postgres` database as PASSWORD_USER, who must give PASSWORD."""
        self._admin(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PASSWORD_USER}')"
            f" THEN CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}'; END IF; END $$"
        )
        return f"postgresql+psycopg://{PASSWORD_USER}:{PASSWORD}@127.0.0.1:{self.port}/postgres"

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=POSTGRES_USER, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(sql)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", POSTGRES_USER, "--", *command]
        completed = subprocess.run(command, capture_output=True, text=True, cwd=self.base_dir)
        if completed.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed ({completed.returncode}):\n{completed.stdout}"
                f"{completed.stderr}\n--- server log ---\n{self.log_tail()}"
            )


def find_postgres_bin_dir() -> Path | None:
    """The newest installed /usr/lib/postgresql/<version>/bin that has initdb and pg_ctl."""
    candidates = [
        path
        for path in Path("/").glob(POSTGRES_BIN_GLOB.lstrip("/"))
        if (path / "initdb").exists() and (path / "pg_ctl").exists()
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda path: _version_key(path.parent.name))


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    bin_dir = find_postgres_bin_dir()
    if bin_dir is None:
        message = (
            f"PostgreSQL server binaries not found ({POSTGRES_BIN_GLOB}/initdb); "
            "install them with `apt-get install -y postgresql`"
        )
        unavailable(message)
    base_dir = Path(tempfile.mkdtemp(prefix="newsclean-pg-"))
    cluster = PostgresCluster(bin_dir, base_dir)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        if cluster.running:
            cluster.stop()
        shutil.rmtree(base_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url(postgres_cluster: PostgresCluster) -> Iterator[str]:
    name = "newsclean_session"
    url = postgres_cluster.create_database(name)
    yield url
    if postgres_cluster.running:
        postgres_cluster.drop_database(name)


@pytest.fixture
def fresh_postgres_url(postgres_cluster: PostgresCluster) -> Iterator[str]:
    name = f"test_{uuid.uuid4().hex}"
    url = postgres_cluster.create_database(name)
    yield url
    if not postgres_cluster.running:  # a test stopped the server and failed before restarting
        postgres_cluster.start()
    postgres_cluster.drop_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh empty database of each kind: a SQLite file in tmp_path, or a new Postgres
    database on the session cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'news.db'}"
    return request.getfixturevalue("fresh_postgres_url")


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A Store on `database_url` (both kinds), migrated to head, closed after the test."""
    store = Store(database_url)
    store.upgrade()
    yield store
    store.close()


def _chown_to_postgres(*paths: Path) -> None:
    if os.geteuid() != 0:
        return
    for path in paths:
        shutil.chown(path, user=POSTGRES_USER, group=POSTGRES_USER)


def _check_identifier(name: str) -> None:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"not a safe database name: {name!r}")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))
