"""MinHash signatures and body fingerprints of articles: pure computation, no database.

What `storage.dedup` compares and indexes, split from it so a crawl's cleaning worker,
which computes them with the article (spiders.pagework), imports numpy and nothing of
SQLAlchemy or the store.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from cleaning.types import CleanedArticle
from storage.records import BodyFingerprint

# Stored signatures are only comparable when made the same way: datasketch 2.0 changed its
# default scheme, so ours is named here (and datasketch>=2 is required).
MINHASH_SCHEME = "affine32"


@dataclass(frozen=True, kw_only=True)
class DedupOptions:
    shingle_words: int = 5  # words per shingle
    num_perm: int = 128  # MinHash permutations
    # LSH: 16 bands of one MinHash value each. A pair at Jaccard s becomes a candidate with
    # probability 1 - (1 - s)**16: 99.2% at 0.26, where containment-only copies like seeds
    # 003/004 sit, and 93% at 0.15 (51 bands of 2 rows, used before, gave 97% and 69%)
    # with a third of the index rows. One-value bands also make more weak candidates
    # (pairs sharing a few shingles); every candidate is re-checked on the full signatures.
    lsh_bands: int = 16
    lsh_rows: int = 1
    jaccard: float = 0.5
    containment: float = 0.4
    min_shingles: int = 20  # shorter bodies are too small to compare reliably (exact hash only)

    @property
    def bands(self) -> tuple[int, int]:
        """(bands, rows per band) of the LSH index."""
        return self.lsh_bands, self.lsh_rows


def signature(body: str, options: DedupOptions) -> Signature | None:
    """MinHash signature (uint32) and distinct shingle count of a body, or None when too
    short. See `words_signature`."""
    return words_signature(body_words(body), options)


def words_signature(words: list[str], options: DedupOptions) -> Signature | None:
    """MinHash signature of a body given as its `body_words` (the store tokenises each
    body once, for the word count and for this).

    The same values as datasketch's `MinHash(num_perm, scheme="affine32", hashfunc=int)`
    fed with the shingle hashes (a test checks this), computed here in a few numpy
    operations: building a datasketch object per article cost more than the arithmetic.
    Distinct shingles come from a sort and a neighbour comparison (np.unique's overhead
    is large next to a few hundred values)."""
    shingles = np.sort(_shingles(words, options.shingle_words).astype(np.uint32))
    if len(shingles) > 1:
        first = np.empty(len(shingles), dtype=bool)
        first[0] = True
        np.not_equal(shingles[1:], shingles[:-1], out=first[1:])
        shingles = shingles[first]
    if len(shingles) < options.min_shingles:
        return None
    a, b = _permutations(options.num_perm)
    permuted = _fmix32(shingles).reshape(-1, 1) * a  # one row per shingle, uint32 wraps
    permuted += b
    return permuted.min(axis=0), len(shingles)


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch's affine32 scheme pre-mixes inputs
    (uint32 arithmetic wraps: that is the modulo)."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutation parameters for seed 1: odd multipliers `a` and
    offsets `b`, drawn as `MinHash._init_permutations` draws them (a test compares)."""
    generator = np.random.RandomState(1)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


_WORD = re.compile(r"\w+")
_MASK32 = np.uint64(0xFFFFFFFF)


def body_words(body: str) -> list[str]:
    """The body's `\\w+` words, as the word count counts them (shingles lower-case them)."""
    return _WORD.findall(body)


def shingle_hashes(body: str, size: int) -> np.ndarray:
    """Distinct 32-bit hashes of the body's `size`-word shingles (lower-cased words)."""
    return np.unique(_shingles(body_words(body), size))


def _shingles(words: list[str], size: int) -> np.ndarray:
    """32-bit hashes of each run of `size` lower-cased words (repeats included).

    Written by hand for speed: datasketch's default hashes every shingle with SHA-1 in
    Python, which made MinHash most of the cost of storing an article. Here each word is
    hashed once (CRC-32, in C) and shingles are combined with numpy: stable across
    processes and machines, which the stored signatures need."""
    if len(words) < size:
        return np.empty(0, dtype=np.uint64)
    # One lower() and encode() over the joined words: far cheaper than one call per word.
    encoded = "\x00".join(words).lower().encode().split(b"\x00")
    word_hashes = np.fromiter(map(zlib.crc32, encoded), dtype=np.uint64, count=len(encoded))
    combined = np.zeros(len(encoded) - size + 1, dtype=np.uint64)
    for offset in range(size):  # polynomial combination, modulo 2**32
        window = word_hashes[offset : offset + len(combined)]
        combined = (combined * np.uint64(1_000_003) + window) & _MASK32
    return combined


def band_buckets(sig: np.ndarray, options: DedupOptions) -> list[int]:
    """One signed 64-bit bucket key per LSH band, unique to its band: one-row bands are
    `band << 32 | value`; wider bands combine their rows polynomially modulo 2**64 (FNV
    prime) and carry the band in the top byte."""
    bands, rows = options.bands
    matrix = sig[: bands * rows].astype(np.int64).reshape(bands, rows)
    band_ids = np.arange(bands, dtype=np.int64)
    if rows == 1:
        return ((band_ids << 32) | matrix[:, 0]).tolist()
    keys = np.zeros(bands, dtype=np.uint64)
    for column in range(rows):
        keys = keys * _BAND_MULTIPLIER + matrix[:, column].astype(np.uint64)
    keys = (keys & np.uint64(0x00FFFFFFFFFFFFFF)) | (band_ids.astype(np.uint64) << np.uint64(56))
    return keys.view(np.int64).tolist()


_BAND_MULTIPLIER = np.uint64(0x100000001B3)  # the 64-bit FNV prime


Signature = tuple[np.ndarray, int]  # MinHash values (uint32) and distinct shingle count


def signature_columns(words: list[str], options: DedupOptions | None) -> dict[str, Any]:
    """The `minhash` and `shingle_count` article columns for a body given as its
    `body_words` (None when too short or dedup is off), so they are written with the
    article itself."""
    computed = words_signature(words, options) if options is not None else None
    return {
        "minhash": computed[0].tobytes() if computed else None,
        "shingle_count": computed[1] if computed else None,
    }


def body_fingerprint(body: str, options: DedupOptions | None) -> BodyFingerprint:
    """Word count, exact hash and MinHash columns of an article body (the text as the
    store writes it), in one tokenisation. Pure computation: the crawl runs it in the
    cleaning worker, so the store thread only does database round trips."""
    words = body_words(body)
    columns = signature_columns(words, options)
    return BodyFingerprint(
        options=options,
        word_count=len(words),
        body_hash=body_hash(body),
        minhash=columns["minhash"],
        shingle_count=columns["shingle_count"],
    )


def article_fingerprint(article: CleanedArticle, options: DedupOptions | None) -> BodyFingerprint:
    """`body_fingerprint` of the body as the store writes it (NUL characters dropped)."""
    return body_fingerprint(article.body.replace("\x00", ""), options)


def body_hash(body: str) -> str:
    """sha256 of the body with whitespace collapsed: equal for exact duplicate articles."""
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()
