"""Page bytes -> text: the one decoder of the crawl, WARC ingestion and the cleaner.

STAND-IN on branch issue-13 with the API the coordinator announced for main
(`decode_html(body, content_type) -> DecodedHTML | None`): the spider's own logic moved
here unchanged so the triage module can use it now; main's version replaces this file.

A declared encoding (BOM, then the HTTP header, then <meta>) is trusted unless the text it
gives is full of replacement characters; undeclared bytes are UTF-8 if they are valid
UTF-8, else the best guess among WEB_LEGACY_ENCODINGS.
"""

from __future__ import annotations

from dataclasses import dataclass

from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
)

# More U+FFFD than this share of the text means the declared charset is wrong (a lying
# <meta>, a server default of UTF-8 over cp1252 bytes); a few can be genuine.
MAX_REPLACEMENT_SHARE = 0.001
# charset_normalizer's "chaos" (mess ratio) above which its best guess is still garbage.
MAX_CHAOS = 0.2
# Candidates when guessing: the legacy encodings still common on news sites. Left to
# choose among all codecs, the detector picks look-alikes (cp775 for latin-1 German).
WEB_LEGACY_ENCODINGS = [
    "utf_8", "cp1252", "cp1251", "cp1250", "cp1253", "cp1254", "cp1256", "koi8_r",
    "iso8859_2", "iso8859_15", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class DecodedHTML:
    text: str
    encoding: str
    source: str  # "bom", "http", "meta", "utf-8" (undeclared, valid UTF-8) or "guess"


def decode_html(body: bytes, content_type: str | None = None) -> DecodedHTML | None:
    """The page text, or None when no encoding gives readable text (bad-encoding)."""
    declared, source = _declared_encoding(body, content_type)
    if declared is not None:
        encoding, text = html_to_unicode(content_type, body)
        if text.count("\ufffd") <= max(2, len(text) * MAX_REPLACEMENT_SHARE):
            return DecodedHTML(text, encoding, source)
    else:
        try:
            return DecodedHTML(body.decode("utf-8"), "utf-8", "utf-8")
        except UnicodeDecodeError:
            pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(body, cp_isolation=WEB_LEGACY_ENCODINGS).best()
    if best is None or best.chaos > MAX_CHAOS:
        return None
    return DecodedHTML(str(best), best.encoding, "guess")


def _declared_encoding(body: bytes, content_type: str | None) -> tuple[str | None, str]:
    bom = read_bom(body)[0]
    if bom:
        return bom, "bom"
    header = http_content_type_encoding(content_type) if content_type else None
    if header:
        return header, "http"
    meta = html_body_declared_encoding(body)
    return meta, "meta"
