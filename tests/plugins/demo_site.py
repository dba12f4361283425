"""The bundled demo site served on 127.0.0.1 for the whole test session."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from spiders.localsite import DEMO_SITE, serve_directory


@pytest.fixture(scope="session")
def demo_site_url() -> Iterator[str]:
    with serve_directory(DEMO_SITE) as base:
        yield base


@pytest.fixture(scope="session")
def demo_expected() -> dict[str, Any]:
    return json.loads((DEMO_SITE / "EXPECTED.json").read_text())
