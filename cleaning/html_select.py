"""Small, fast helpers over lxml trees shared by the HTML cleaning modules.

Why not plain cssselect for page-wide look-ups: cssselect's class test compiles to
`contains(concat(' ', normalize-space(@class), ' '), ' x ')`, which libxml2 evaluates on
every element for every class; with ~40 widget classes over a 170 KB page that is ~10 ms.
One Python pass that indexes elements by class token, id and tag costs < 1 ms, so
page-wide selectors (`PageIndex.select`) go through the index. Selectors relative to one
comment (small subtrees) still use compiled cssselect XPath (`css`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cssselect import HTMLTranslator
from lxml import etree
from lxml.html import HtmlElement

__all__ = [
    "INLINE_TAGS",
    "PageIndex",
    "Selector",
    "block_text",
    "collapse",
    "css",
    "detach",
    "in_tree",
    "matches",
    "outermost",
]


@dataclass(frozen=True, slots=True)
class _Compound:
    """One compound selector: `tag#id.class1.class2[attr]`, `[attr=v]`, `[attr$=v]`,
    `[attr^=v]`, `[attr*=v]`; every part optional."""

    tag: str | None
    id: str | None
    classes: frozenset[str]
    attrs: tuple[tuple[str, str, str], ...]  # (name, operator, value); operator "" = present

    def matches(self, el: HtmlElement) -> bool:
        if self.tag and el.tag != self.tag:
            return False
        if self.id and el.get("id") != self.id:
            return False
        if self.classes and not self.classes <= set((el.get("class") or "").split()):
            return False
        for name, op, value in self.attrs:
            got = el.get(name)
            if got is None or not _ATTR_TESTS[op](got, value):
                return False
        return True


_ATTR_TESTS = {
    "": lambda got, value: True,
    "=": lambda got, value: got == value,
    "$=": lambda got, value: got.endswith(value),
    "^=": lambda got, value: got.startswith(value),
    "*=": lambda got, value: value in got,
    "~=": lambda got, value: value in got.split(),
}
_ATTR = r"\[([\w-]+)(?:([$^*~]?=)[\"']?([^\]\"']*)[\"']?)?\]"
_COMPOUND = re.compile(rf"([a-zA-Z][\w-]*)?((?:[#.][\w-]+|{_ATTR})*)$")
_PART = re.compile(rf"([#.])([\w-]+)|{_ATTR}")


def _parse_compound(text: str) -> _Compound:
    match = _COMPOUND.match(text)
    if not match or not text:
        raise ValueError(f"unsupported selector: {text!r}")
    tag, rest = match.group(1), match.group(2)
    ident, classes, attrs = None, set(), []
    for kind, name, attr, op, value in _PART.findall(rest):
        if kind == "#":
            ident = name
        elif kind == ".":
            classes.add(name)
        else:
            attrs.append((attr, op, value))
    return _Compound(tag.lower() if tag else None, ident, frozenset(classes), tuple(attrs))


class Selector:
    """A comma-separated list of descendant chains of compound selectors
    (`ol.comment-list, #disqus_thread noscript`): enough for widget and section look-ups."""

    def __init__(self, css_text: str) -> None:
        self.text = css_text
        self.chains = [
            tuple(_parse_compound(part) for part in alternative.split())
            for alternative in css_text.split(",")
            if alternative.strip()
        ]

    def matches(self, el: HtmlElement) -> bool:
        return any(_chain_matches(chain, el) for chain in self.chains)


def _chain_matches(chain: tuple[_Compound, ...], el: HtmlElement) -> bool:
    if not chain[-1].matches(el):
        return False
    node = el.getparent()
    for compound in reversed(chain[:-1]):
        while node is not None and not compound.matches(node):
            node = node.getparent()
        if node is None:
            return False
        node = node.getparent()
    return True


class PageIndex:
    """The page's elements that can match a known set of selectors, found in one lean pass
    and bucketed by the key each selector is looked up by (id, class token, attribute
    name or tag), in document order."""

    def __init__(self, root: HtmlElement, selectors: Iterable[Selector | str]) -> None:
        self.root = root
        keys = _Keys()
        for selector in selectors:
            keys.add(_selector(selector) if isinstance(selector, str) else selector)
        self.declared = keys.all
        self.order: dict[HtmlElement, int] = {}
        self.by_key: dict[tuple[str, str], list[HtmlElement]] = {}
        tags, ids, classes, attrs = keys.by_kind()
        for position, el in enumerate(root.iter()):
            names = el.keys()  # attribute names; most elements have none or only a class
            tag = el.tag
            if not names and tag not in tags:
                continue
            found: list[tuple[str, str]] = []
            if tag in tags:
                found.append(("tag", tag))
            for name in names:
                if name == "class":
                    tokens = el.get("class").split()
                    if not classes.isdisjoint(tokens):
                        found.extend(("class", token) for token in set(tokens) & classes)
                elif name == "id":
                    if el.get("id") in ids:
                        found.append(("id", el.get("id")))
                elif name in attrs:
                    found.append(("attr", name))
            if found:
                self.order[el] = position
                for key in found:
                    self.by_key.setdefault(key, []).append(el)

    def select(self, selector: Selector | str) -> list[HtmlElement]:
        """Elements matching `selector` that are still in the page, in document order."""
        if isinstance(selector, str):
            selector = _selector(selector)
        found: set[HtmlElement] = set()
        for chain in selector.chains:
            key = _key_of(chain[-1])
            if key is None or key not in self.declared:  # not indexed: scan the page
                candidates = [el for el in self.root.iter() if isinstance(el.tag, str)]
                found.update(el for el in candidates if _chain_matches(chain, el))
                continue
            found.update(el for el in self.by_key.get(key, ()) if _chain_matches(chain, el))
        order = self.order
        return sorted(
            (el for el in found if in_tree(el, self.root)),
            key=lambda el: order.get(el, -1),
        )


def _key_of(compound: _Compound) -> tuple[str, str] | None:
    if compound.id:
        return ("id", compound.id)
    if compound.classes:
        return ("class", min(compound.classes))
    if compound.attrs:
        return ("attr", compound.attrs[0][0])
    if compound.tag:
        return ("tag", compound.tag)
    return None


class _Keys:
    """The look-up keys of a set of selectors."""

    def __init__(self) -> None:
        self.all: set[tuple[str, str]] = set()

    def add(self, selector: Selector) -> None:
        for chain in selector.chains:
            key = _key_of(chain[-1])
            if key is not None:
                self.all.add(key)

    def by_kind(self) -> tuple[set[str], set[str], set[str], set[str]]:
        def kind(name: str) -> set[str]:
            return {value for k, value in self.all if k == name}

        return kind("tag"), kind("id"), kind("class"), kind("attr")


_SELECTORS: dict[str, Selector] = {}


def _selector(text: str) -> Selector:
    if text not in _SELECTORS:
        _SELECTORS[text] = Selector(text)
    return _SELECTORS[text]


# --- relative CSS (cssselect) for small subtrees --------------------------------------------

_TRANSLATOR = HTMLTranslator()
_COMPILED: dict[str, Callable[[HtmlElement], list[HtmlElement]]] = {}


def css(selector: str) -> Callable[[HtmlElement], list[HtmlElement]]:
    """Compiled (cached) CSS selector searching *below* an element."""
    if selector not in _COMPILED:
        xpath = _TRANSLATOR.css_to_xpath(selector, prefix="descendant::")
        _COMPILED[selector] = etree.XPath(xpath)
    return _COMPILED[selector]


_COMPILED_SELF: dict[str, Callable[[HtmlElement], list[HtmlElement]]] = {}


def matches(el: HtmlElement, selector: str) -> bool:
    """Whether `el` itself matches a CSS selector (cssselect on the `self::` axis)."""
    if selector not in _COMPILED_SELF:
        xpath = _TRANSLATOR.css_to_xpath(selector, prefix="self::")
        _COMPILED_SELF[selector] = etree.XPath(xpath)
    return bool(_COMPILED_SELF[selector](el))


# --- tree surgery and text ---------------------------------------------------------------------


def in_tree(el: HtmlElement, root: HtmlElement) -> bool:
    """Whether `el` is still attached below `root` (not inside a detached subtree)."""
    while (parent := el.getparent()) is not None:
        el = parent
    return el is root


def outermost(elements: list[HtmlElement]) -> list[HtmlElement]:
    """Drop matches nested in another match (the outer one is handled with them)."""
    chosen = set(elements)
    result = []
    for el in elements:
        node = el.getparent()
        while node is not None and node not in chosen:
            node = node.getparent()
        if node is None:
            result.append(el)
    return result


def detach(el: HtmlElement) -> None:
    """Remove `el` but keep its tail text, which belongs to the surrounding content."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


_SPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n\s*\n")
_BLOCK_TAGS = frozenset(
    "p div li ul ol blockquote pre h1 h2 h3 h4 h5 h6 table tr section article header "
    "footer aside nav dl dt dd figure figcaption form main details summary".split()
)
_SKIP_TAGS = frozenset({"script", "style", "template", "textarea", "select", "option"})
# Elements rendered inside a line of text. Every other element (table cells, <hr>, <img>,
# <input>, custom elements, ...) is a word break at both edges, so the last word before it
# and the first inside it never run together ("Cell one<p>inner" is "Cell one inner").
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i ins kbd mark nobr q s samp small "
    "span strike strong sub sup time tt u var wbr".split()
)


def collapse(text: str | None) -> str:
    # `_SPACE.sub(" ", text).strip()`: str.split's white space is `\s`'s, and the join
    # costs a fraction of the regex on a long element's text
    return " ".join(text.split()) if text else ""


def block_text(root: HtmlElement) -> str:
    """Text of an element with block boundaries kept: blocks joined by a blank line,
    whitespace inside each collapsed; script/style text skipped. `root` is not modified."""
    chunks: list[str] = []
    _walk_text(root, chunks, top=True)
    parts = (collapse(part) for part in _BLANK_LINES.split("".join(chunks)))
    return "\n\n".join(part for part in parts if part)


def _walk_text(el: HtmlElement, out: list[str], top: bool = False) -> None:
    tag = el.tag if isinstance(el.tag, str) else None
    if tag is not None and tag not in _SKIP_TAGS:
        block = tag in _BLOCK_TAGS
        edge = "\n\n" if block else "" if tag in INLINE_TAGS else " "
        out.append(edge)
        if tag == "br":
            out.append("\n")
        if el.text:
            out.append(el.text)
        for child in el:
            _walk_text(child, out)
        out.append(edge)
    if el.tail and not top:
        out.append(el.tail)
