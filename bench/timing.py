"""What the benches that time two extractors against each other in one process share."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Time inside this with everything loaded so far frozen out of the garbage collector.
    The loaded pages are neither extractor's garbage: unfrozen, whichever extractor happens
    to trigger a full collection pays for walking them, and that alone moved the text
    bench's speed ratio by 0.07 on unchanged cleaning code."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
