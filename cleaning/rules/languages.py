"""Rule families in other languages, as data: one TOML file per language in
`cleaning/rules/lang/` (package data), loaded once at import.

Adding a language is adding `lang/<iso-639-1>.toml`:

    language = "de"

    [share]                      # a family name (see KNOWN_FAMILIES)
    max_words = 12               # guard for the plain-string entries below (optional)
    patterns = [
      '^(?:teilen|artikel teilen)\\W*$',                       # guarded by max_words
      { pattern = '\\bjetzt spenden\\b', max_words = 30 },     # its own guard
    ]

Patterns are Python regular expressions, matched case-insensitively against one
whitespace-collapsed line, like the English tables in `tables.py`. Every language's
patterns apply to every page: a line of German chrome on an English page is chrome all
the same, and the guards keep the rules off prose. Patterns of one family that share a
guard are compiled into one alternation, so ten languages cost a few regex probes per
line, not hundreds.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from importlib import resources

from cleaning.rules.tables import Rule

__all__ = ["KNOWN_FAMILIES", "LANGUAGES", "RuleFileError", "language_rules", "load_language_file"]

# Families a language file may fill: the core families of tables.py plus the
# subscription wall, which only the language files describe.
KNOWN_FAMILIES = (
    "share", "donation", "newsletter", "paywall", "cookie", "comment-chrome",
    "comment-policy", "disclaimer", "copyright", "caption", "ads", "tags", "nav", "related",
    "bio",
)  # fmt: skip


class RuleFileError(ValueError):
    """A language file that does not follow the format above."""


def load_language_file(text: str, name: str = "<string>") -> tuple[str, dict[str, list[Rule]]]:
    """(language code, {family: [Rule, ...]}) from one TOML document; a clear
    `RuleFileError` for anything that does not follow the format."""
    language, entries = _read_language_file(text, name)
    families: dict[str, list[Rule]] = {}
    for family, items in entries.items():
        families[family] = [
            Rule(_compile(pattern, name, family), max_words, None, note=language)
            for pattern, max_words in items
        ]
    return language, families


def _compile(pattern: str, name: str, family: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE | re.UNICODE)
    except re.error as exc:
        raise RuleFileError(f"{name}: [{family}] bad pattern {pattern!r}: {exc}") from exc


def _read_language_file(
    text: str, name: str
) -> tuple[str, dict[str, list[tuple[str, int | None]]]]:
    """(language, {family: [(pattern source, max_words), ...]}), nothing compiled yet:
    at import every pattern is compiled once, inside its family's alternation."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(f"{name}: not valid TOML: {exc}") from exc
    language = data.pop("language", None)
    if not isinstance(language, str) or not language:
        raise RuleFileError(f'{name}: missing `language = "<code>"`')
    families: dict[str, list[tuple[str, int | None]]] = {}
    for family, table in data.items():
        if family not in KNOWN_FAMILIES:
            raise RuleFileError(f"{name}: unknown family [{family}]")
        guard = table.get("max_words")
        families[family] = [
            (entry, guard)
            if isinstance(entry, str)
            else (entry["pattern"], entry.get("max_words", guard))
            for entry in table.get("patterns", [])
        ]
    return language, families


def _load_all() -> dict[str, tuple[str, dict[str, list[tuple[str, int | None]]]]]:
    """{language: (file name, entries)} for every file in lang/."""
    folder = resources.files("cleaning.rules") / "lang"
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            language, families = _read_language_file(entry.read_text("utf-8"), entry.name)
            out[language] = (entry.name, families)
    return out


_BY_LANGUAGE = _load_all()
LANGUAGES: tuple[str, ...] = tuple(sorted(_BY_LANGUAGE))


def language_rules() -> dict[str, tuple[Rule, ...]]:
    """{family: rules of every language}, patterns sharing a family and guard merged into
    one alternation (whole-line `^` patterns kept apart, so they stay cheap to probe)."""
    grouped: dict[tuple[str, int | None, bool], list[tuple[str, str]]] = defaultdict(list)
    for file_name, families in _BY_LANGUAGE.values():
        for family, items in families.items():
            for pattern, max_words in items:
                grouped[(family, max_words, pattern.startswith("^"))].append((pattern, file_name))
    merged: dict[str, list[Rule]] = defaultdict(list)
    for (family, max_words, anchored), patterns in grouped.items():
        body = "|".join(f"(?:{p[1:] if anchored else p})" for p, _ in patterns)
        source = f"^(?:{body})" if anchored else body
        try:
            compiled = re.compile(source, re.IGNORECASE | re.UNICODE)
        except re.error:
            for pattern, file_name in patterns:  # name the culprit
                _compile(pattern, file_name, family)
            raise
        merged[family].append(Rule(compiled, max_words, None, "languages"))
    return {family: tuple(rules) for family, rules in merged.items()}
