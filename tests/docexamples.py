"""The manual's runnable examples: find them in the Markdown pages and run them.

A fenced block is runnable when the line before it (blank lines allowed in between) is an
HTML comment `<!-- runnable -->`, invisible on GitHub and in the built site:

    <!-- runnable -->
    ```console
    $ scrapy export -o corpus.jsonl
    exported 14 articles to corpus.jsonl
    ```

- `console`: lines starting with `$ ` are commands (a line ending in `\\` continues on the
  next, a `<<'EOF'` here-document runs to its terminator); the other lines are output
  the command must print (stdout and stderr together). Shown output is matched in
  pieces: lines between `...` lines must appear in that order, one after the other,
  anywhere in the real output; a `...` inside a line matches any text. Every command
  must exit 0, except that `<!-- runnable: exit=N -->` expects N from the last one.
- `sh`/`bash`: a script run with `bash -e -o pipefail`; it must exit 0 (or N).
- `python`: a script that must exit 0; `pycon`: a doctest (ELLIPSIS, NORMALIZE_WHITESPACE).

Where they run: all the runnable blocks of one page run in order, in one working directory
that looks like a checkout (symlinks to the repository's files) with its own `data/`, so
the default database `sqlite:///data/news.db` is private to the page. It starts with a
copy of a database that already holds one crawl of the demo site. A block marked
`<!-- runnable: fresh -->` starts a new directory with no database, one marked
`<!-- runnable: crawled -->` a new one with a new copy of the crawled database; the page's
later blocks continue in it. The venv's `bin/` is first on PATH.

Addresses in the examples are the documented ones and are replaced before running:
`http://127.0.0.1:8765` (the demo site, as `python -m spiders.localsite` serves it),
`redis://127.0.0.1:6379/0` and `postgresql+psycopg://postgres@127.0.0.1:5432/news` by
the servers of the test session.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGES = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]

DEMO_URL = "http://127.0.0.1:8765"
REDIS_URL = "redis://127.0.0.1:6379/0"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/news"

MARKER = re.compile(r"^<!--\s*runnable(?::\s*(?P<options>.*?))?\s*-->\s*$")
FENCE = re.compile(r"^(?P<fence>```+|~~~+)\s*(?P<lang>[\w+-]*)")
HEREDOC = re.compile(r"<<-?\s*(['\"]?)(?P<tag>\w+)\1")
SHELL_LANGUAGES = {"sh", "bash", "shell"}
LANGUAGES = {"console", "python", "pycon", *SHELL_LANGUAGES}
# Not part of the checkout copy: build output and the databases of `make demo`.
NOT_LINKED = {".git", "data", "site", "dist", "crawls", ".pytest_cache", ".ruff_cache"}
DEFAULT_TIMEOUT = 300.0


@dataclass
class Example:
    page: Path
    line: int  # of the opening fence, 1-based
    lang: str
    code: str
    start: str | None = None  # "fresh" or "crawled": a new working directory
    exit: int = 0
    timeout: float = DEFAULT_TIMEOUT

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(REPO)}:{self.line}"


@dataclass
class Command:
    text: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    example: Example
    ok: bool
    report: str
    seconds: float


def find_examples(pages: list[Path] = PAGES) -> list[Example]:
    examples = []
    for page in pages:
        examples.extend(_page_examples(page))
    return examples


def _page_examples(page: Path) -> list[Example]:
    lines = page.read_text(encoding="utf-8").splitlines()
    examples: list[Example] = []
    marker: re.Match[str] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line.strip())
        if fence:
            end = next(
                (j for j in range(i + 1, len(lines)) if lines[j].strip() == fence["fence"]),
                len(lines),
            )
            if marker is not None:
                examples.append(_example(page, i + 1, fence["lang"], lines[i + 1 : end], marker))
            marker = None
            i = end + 1
            continue
        match = MARKER.match(line.strip())
        if match:
            marker = match
        elif line.strip():
            marker = None
        i += 1
    return examples


def _example(page: Path, line: int, lang: str, body: list[str], marker: re.Match[str]) -> Example:
    where = f"{page.relative_to(REPO)}:{line}"
    if lang not in LANGUAGES:
        raise ValueError(f"{where}: runnable block in {lang or 'no language'}; use one of "
                         f"{', '.join(sorted(LANGUAGES))}")  # fmt: skip
    indent = min((len(x) - len(x.lstrip()) for x in body if x.strip()), default=0)
    example = Example(page, line, lang, "\n".join(x[indent:] for x in body) + "\n")
    for option in (marker["options"] or "").split():
        name, _, value = option.partition("=")
        if name in ("fresh", "crawled") and not value:
            example.start = name
        elif name == "exit" and value.isdigit():
            example.exit = int(value)
        elif name == "timeout" and value.isdigit():
            example.timeout = float(value)
        else:
            raise ValueError(f"{where}: unknown runnable option {option!r}")
    return example


def console_commands(code: str) -> list[Command]:
    """The `$ ` commands of a console block, each with the output shown under it."""
    commands: list[Command] = []
    lines = code.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ "):
            text = [line[2:]]
            while text[-1].endswith("\\") and i + 1 < len(lines):
                i += 1
                text.append(lines[i])
            heredoc = HEREDOC.search("\n".join(text))
            if heredoc:
                while i + 1 < len(lines):
                    i += 1
                    text.append(lines[i])
                    if lines[i].strip() == heredoc["tag"]:
                        break
            commands.append(Command("\n".join(text)))
        elif commands:
            commands[-1].expected.append(line)
        elif line.strip():
            raise ValueError(f"output before the first command: {line!r}")
        i += 1
    return commands


def missing_output(expected: list[str], actual: str) -> str | None:
    """None if the shown output is in the real output (see the module doc), else the first
    piece that is not."""
    lines = [x.rstrip() for x in actual.splitlines()]
    pieces: list[list[str]] = [[]]
    for line in expected:
        if line.strip() == "...":
            pieces.append([])
        elif line.strip():
            pieces[-1].append(line.rstrip())
    start = 0
    for piece in filter(None, pieces):
        patterns = [_line_pattern(x) for x in piece]
        for at in range(start, len(lines) - len(piece) + 1):
            if all(p.fullmatch(lines[at + k]) for k, p in enumerate(patterns)):
                start = at + len(piece)
                break
        else:
            return "\n".join(piece)
    return None


def _line_pattern(line: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in line.split("...")))


class Runner:
    """Runs examples in checkout-like working directories under `root`."""

    def __init__(self, root: Path, crawled_db: Path | None, substitutions: dict[str, str]):
        self.root = root
        self.crawled_db = crawled_db
        self.substitutions = substitutions
        self.env = _environment()
        self.count = 0

    def run_page(self, examples: list[Example]) -> list[Outcome]:
        workdir: Path | None = None
        outcomes = []
        for example in examples:
            if example.start or workdir is None:
                workdir = self.workdir(example, with_database=example.start != "fresh")
            started = time.monotonic()
            try:
                ok, report = self.run(example, workdir)
            except Exception as exc:  # a broken example must not hide the others
                ok, report = False, f"{type(exc).__name__}: {exc}"
            outcomes.append(Outcome(example, ok, report, time.monotonic() - started))
        return outcomes

    def workdir(self, example: Example, *, with_database: bool) -> Path:
        self.count += 1
        name = re.sub(r"\W+", "-", example.id).strip("-")
        workdir = self.root / f"{self.count:02d}-{name}"
        workdir.mkdir(parents=True)
        for entry in REPO.iterdir():
            if entry.name not in NOT_LINKED:
                (workdir / entry.name).symlink_to(entry)
        if not (workdir / ".venv").exists():  # a venv outside the checkout
            (workdir / ".venv").symlink_to(Path(sys.prefix))
        (workdir / "data").mkdir()
        if with_database and self.crawled_db is not None:
            shutil.copy(self.crawled_db, workdir / "data" / "news.db")
        return workdir

    def substitute(self, text: str) -> str:
        for documented, real in self.substitutions.items():
            text = text.replace(documented, real)
        return text

    def run(self, example: Example, workdir: Path) -> tuple[bool, str]:
        code = self.substitute(example.code)
        if example.lang == "console":
            return self._run_console(example, code, workdir)
        script = workdir.parent / f"{workdir.name}-{example.line}.{example.lang}"
        script.write_text(code, encoding="utf-8")
        if example.lang in SHELL_LANGUAGES:
            argv = ["bash", "-e", "-o", "pipefail", str(script)]
        elif example.lang == "python":
            argv = [sys.executable, str(script)]
        else:  # pycon
            flags = ["-o", "ELLIPSIS", "-o", "NORMALIZE_WHITESPACE"]
            argv = [sys.executable, "-m", "doctest", *flags, str(script)]
        status, output = self._execute(argv, workdir, example.timeout)
        if status != example.exit:
            return False, f"exit status {status}, expected {example.exit}\n{_tail(output)}"
        return True, output

    def _run_console(self, example: Example, code: str, workdir: Path) -> tuple[bool, str]:
        commands = console_commands(code)
        if not commands:
            return False, "no `$ ` command in the block"
        sentinel = f"@@runnable-{os.getpid()}-{time.monotonic_ns()}@@"
        script = "".join(f'{c.text}\necho "{sentinel} $?"\n' for c in commands)
        status, output = self._execute(["bash", "-c", script], workdir, example.timeout)
        parts = re.split(rf"^{re.escape(sentinel)} (\d+)$\n?", output, flags=re.MULTILINE)
        # [out0, rc0, out1, rc1, ..., trailing]
        results = list(zip(parts[0::2], parts[1::2], strict=False))
        if len(results) < len(commands):
            return False, (f"the shell stopped (status {status}) after {len(results)} of "
                           f"{len(commands)} commands\n{_tail(output)}")  # fmt: skip
        for n, (command, (out, rc)) in enumerate(zip(commands, results, strict=True)):
            wanted = example.exit if n == len(commands) - 1 else 0
            if int(rc) != wanted:
                return False, f"$ {command.text}\nexit status {rc}, expected {wanted}\n{_tail(out)}"
            missing = missing_output(command.expected, out)
            if missing is not None:
                return False, (f"$ {command.text}\nthe output does not show\n{missing}\n"
                               f"--- real output ---\n{_tail(out)}")  # fmt: skip
        return True, output

    def _execute(self, argv: list[str], workdir: Path, timeout: float) -> tuple[int, str]:
        process = subprocess.Popen(
            argv, cwd=workdir, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )  # fmt: skip
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the example and whatever it started
            output, _ = process.communicate()
            return -1, f"timed out after {timeout:.0f} s\n{_tail(output)}"
        return process.returncode, output


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("NEWSCLEAN_DATABASE_URL", "NEWSCLEAN_REDIS_URL", "SCRAPY_SETTINGS_MODULE"):
        env.pop(name, None)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = "100"
    env["NO_COLOR"] = "1"
    return env


def _tail(text: str, limit: int = 4000) -> str:
    return text if len(text) <= limit else "...\n" + text[-limit:]
