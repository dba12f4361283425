"""The code base stays ruff clean (lint rules and formatting from pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.crawling import REPO


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff_finds_nothing(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "."],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"ruff {' '.join(command)} .\n{result.stdout}{result.stderr}"
