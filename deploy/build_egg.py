"""Build a Scrapyd egg of newsclean from pyproject.toml, without a setup.py in the repo.

    python deploy/build_egg.py [OUT_DIR]      # prints the path of the .egg

`scrapyd-deploy --build-egg` would write a setup.py into the project root; setuptools
reads all of it from pyproject.toml (packages, package data such as the migrations, and
the `scrapy` entry point Scrapyd looks for), so `setup()` with no arguments is enough.
Every intermediate file goes to a temporary directory: the work tree stays clean.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def build_egg(out_dir: Path) -> Path:
    """Build the egg into `out_dir` and return its path."""
    # Absolute: setuptools runs in the repository, the caller may be anywhere.
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsclean-egg-") as tmp:
        work = Path(tmp)
        command = [
            sys.executable, "-c", "from setuptools import setup; setup()",
            "egg_info", "--egg-base", str(work),
            "build", "--build-base", str(work / "build"),
            "bdist_egg", "--dist-dir", str(out_dir), "--bdist-dir", str(work / "bdist"),
        ]  # fmt: skip
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"egg build failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    eggs = sorted(out_dir.glob("newsclean-*.egg"), key=lambda p: p.stat().st_mtime)
    if not eggs:
        raise RuntimeError(f"no egg written to {out_dir}")
    return eggs[-1]


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "dist"
    print(build_egg(out))
