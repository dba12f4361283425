"""Page bytes -> text: the one decoder of the project.

`clean_html(bytes)`, `scrapy clean`, the `news` spider and `ingest-warc` all decode
through `decode_html`, so a page gives the same text whichever way it came in.

Order of evidence, strongest first:
1. a byte-order mark (it is part of the bytes, a header is not);
2. valid UTF-8 with non-ASCII text: kept as UTF-8 even under a legacy declaration, because
   legacy text almost never forms valid multi-byte UTF-8 by chance, while stale
   `<meta charset=iso-8859-1>` over re-encoded UTF-8 pages is common;
3. a declaration (HTTP header, then `<meta>`) that the bytes agree with: a strict decode
   succeeds, or for UTF-8, only a few invalid bytes in otherwise good text;
4. detection among the web's legacy encodings (charset_normalizer, restricted to them:
   left to choose among all codecs it picks look-alikes such as cp775 for German).
Text no encoding makes readable gives None (the `bad-encoding` skip).

w3lib does the header/meta/BOM parsing and maps labels the WHATWG way (`latin-1` and
`iso-8859-1` are decoded as cp1252, `gb2312` as gb18030), as browsers do.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Literal

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

DecodingSource = Literal["ascii", "bom", "utf-8", "declared", "utf-8-repaired", "detected"]

# More U+FFFD than this share of the text means UTF-8 is the wrong reading of the bytes;
# a few can be genuine damage (a truncated multi-byte character, one bad byte pasted in).
MAX_REPLACEMENT_SHARE = 0.001
# charset_normalizer's "chaos" (mess ratio) above which its best guess is still garbage.
MAX_CHAOS = 0.2
# Candidates when guessing: the legacy encodings still common on the web.
WEB_LEGACY_ENCODINGS = (
    "utf_8", "cp1252", "cp1251", "cp1250", "cp1253", "cp1254", "cp1256", "cp1255",
    "koi8_r", "iso8859_2", "iso8859_15", "shift_jis", "euc_jp", "gb18030", "big5",
    "euc_kr", "cp874", "cp1258",
)  # fmt: skip
# Detection looks at this much of a large page: enough text for a confident guess, and a
# 20 MB page does not cost seconds.
DETECTION_SAMPLE_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class DecodedHTML:
    text: str
    encoding: str  # Python codec name the text was decoded with
    source: DecodingSource  # which evidence decided (see the module docstring)


def decode_html(body: bytes, content_type: str | None = None) -> DecodedHTML | None:
    """The text of an HTML page's bytes, or None when no encoding gives readable text.

    `content_type` is the HTTP Content-Type header value, if any (its charset counts as a
    declaration, like `<meta charset>`)."""
    bom_encoding, bom = read_bom(body)
    if bom_encoding:
        return DecodedHTML(body[len(bom) :].decode(bom_encoding, "replace"), bom_encoding, "bom")
    if body.isascii():
        return DecodedHTML(body.decode("ascii"), "ascii", "ascii")
    try:
        return DecodedHTML(body.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_encoding(body, content_type)
    if declared is not None and declared != "utf-8":
        try:
            return DecodedHTML(body.decode(declared), declared, "declared")
        except UnicodeDecodeError:
            pass  # the bytes contradict the declaration
    repaired = _mostly_utf8(body)
    if repaired is not None:
        return repaired
    return _detect(body)


def declared_encoding(body: bytes, content_type: str | None = None) -> str | None:
    """The encoding the HTTP header, else the page's `<meta>`, declares (a Python codec
    name, WHATWG label mapping), or None when neither names one Python knows."""
    for label in (
        http_content_type_encoding(content_type) if content_type else None,
        html_body_declared_encoding(body),
    ):
        name = resolve_encoding(label) if label else None
        if name:
            return codecs.lookup(name).name
    return None


def _mostly_utf8(body: bytes) -> DecodedHTML | None:
    text = body.decode("utf-8", "replace")
    if text.count("\ufffd") <= max(2, len(text) * MAX_REPLACEMENT_SHARE):
        return DecodedHTML(text, "utf-8", "utf-8-repaired")
    return None


def _detect(body: bytes) -> DecodedHTML | None:
    import charset_normalizer  # slow to import; only undeclared legacy pages need it

    sample = body[:DETECTION_SAMPLE_BYTES]
    best = charset_normalizer.from_bytes(sample, cp_isolation=list(WEB_LEGACY_ENCODINGS)).best()
    if best is None or best.chaos > MAX_CHAOS:
        return None
    encoding = codecs.lookup(best.encoding).name
    if encoding != "cp1252" and sample.decode("cp1252", "replace") == str(best):
        # Look-alike single-byte codecs (cp1250 for German) read the sample identically;
        # cp1252, the web's most common legacy encoding, is the safer reading of the rest.
        encoding = "cp1252"
    return DecodedHTML(body.decode(encoding, "replace"), encoding, "detected")
