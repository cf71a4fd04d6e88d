import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A private copy of the five seed articles."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def summarise_command() -> list[str]:
    """The installed console script, as a user runs it."""
    script = Path(sys.executable).with_name("summarise")
    return [str(script)] if script.exists() else [sys.executable, "-m", "summarise"]


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run `summarise ARGS` in a subprocess with no NLTK data and no network settings."""

    def run(
        *args: str, cwd: Path | None = None, unprivileged: bool = False, timeout: float = 120
    ) -> subprocess.CompletedProcess:
        """`unprivileged`: file permissions bind even when the tests run as root (as on CI)."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path / "home"),
            "NLTK_DATA": str(tmp_path / "no-nltk-data"),
            "LANG": "C.UTF-8",
        }
        prefix = []
        if unprivileged and os.geteuid() == 0:
            prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]
        return subprocess.run(
            [*prefix, *summarise_command(), *args],
            cwd=cwd or tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run
