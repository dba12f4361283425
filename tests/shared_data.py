"""Where the tests find the data kept in ../shared beside the clone, and what they do when
it, or a server binary they need, is missing: skip with a clear message, except under
CI=true, where that is a failure."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "golden" / "seeds"
BENCHMARK = SHARED / "benchmarks" / "article-extraction-benchmark"


def require(path: Path) -> Path:
    """`path` if it exists; otherwise skip the test (fail it under CI=true)."""
    if not path.exists():
        unavailable(f"shared data missing: {path} (tests read it from ../shared)")
    return path


def unavailable(message: str) -> NoReturn:
    """Something a test needs (data, a server binary) is not on this machine: skip with the
    message, except under CI=true, where the real component is required and that fails."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)
