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

__all__ = ["KNOWN_FAMILIES", "LANGUAGES", "language_rules", "load_language_file"]

# Families a language file may fill: the core families of tables.py plus the
# subscription wall, which only the language files describe.
KNOWN_FAMILIES = (
    "share", "donation", "newsletter", "paywall", "cookie", "comment-chrome",
    "comment-policy", "disclaimer", "copyright", "caption", "ads", "tags", "nav", "related",
)  # fmt: skip


class RuleFileError(ValueError):
    """A language file that does not follow the format above."""


def load_language_file(text: str, name: str = "<string>") -> tuple[str, dict[str, list[Rule]]]:
    """(language code, {family: [Rule, ...]}) from one TOML document."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(f"{name}: not valid TOML: {exc}") from exc
    language = data.pop("language", None)
    if not isinstance(language, str) or not language:
        raise RuleFileError(f'{name}: missing `language = "<code>"`')
    families: dict[str, list[Rule]] = {}
    for family, table in data.items():
        if family not in KNOWN_FAMILIES:
            raise RuleFileError(f"{name}: unknown family [{family}]")
        guard = table.get("max_words")
        rules = []
        for entry in table.get("patterns", []):
            pattern, max_words = (
                (entry, guard)
                if isinstance(entry, str)
                else (entry["pattern"], entry.get("max_words", guard))
            )
            try:
                compiled = re.compile(pattern, re.IGNORECASE | re.UNICODE)
            except re.error as exc:
                raise RuleFileError(f"{name}: [{family}] bad pattern {pattern!r}: {exc}") from exc
            rules.append(Rule(compiled, max_words, None, note=language))
        families[family] = rules
    return language, families


def _load_all() -> dict[str, dict[str, list[Rule]]]:
    folder = resources.files("cleaning.rules") / "lang"
    out: dict[str, dict[str, list[Rule]]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            language, families = load_language_file(entry.read_text("utf-8"), entry.name)
            out[language] = families
    return out


_BY_LANGUAGE = _load_all()
LANGUAGES: tuple[str, ...] = tuple(sorted(_BY_LANGUAGE))


def language_rules() -> dict[str, tuple[Rule, ...]]:
    """{family: rules of every language}, patterns sharing a family and guard merged into
    one alternation (whole-line `^` patterns kept apart, so they stay cheap to probe)."""
    grouped: dict[tuple[str, int | None, bool], list[str]] = defaultdict(list)
    for families in _BY_LANGUAGE.values():
        for family, rules in families.items():
            for rule in rules:
                anchored = rule.pattern.pattern.startswith("^")
                grouped[(family, rule.max_words, anchored)].append(rule.pattern.pattern)
    merged: dict[str, list[Rule]] = defaultdict(list)
    for (family, max_words, anchored), patterns in grouped.items():
        body = "|".join(f"(?:{p[1:] if anchored else p})" for p in patterns)
        source = f"^(?:{body})" if anchored else body
        merged[family].append(
            Rule(re.compile(source, re.IGNORECASE | re.UNICODE), max_words, None, "languages")
        )
    return {family: tuple(rules) for family, rules in merged.items()}
