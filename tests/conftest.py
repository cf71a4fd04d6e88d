import io
import os
import shutil
import subprocess
import sys
import time
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


def call_main(args: list[str], env: dict[str, str], cwd: Path | str) -> subprocess.CompletedProcess:
    """`summarise ARGS` in this process (`main(argv)`), in the environment and folder given, with its
    own stdout and stderr; gives back what a child process would: the exit code and both outputs."""
    from summarise.cli import main

    saved_env, saved_cwd, saved_streams = dict(os.environ), os.getcwd(), (sys.stdout, sys.stderr)
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    stderr = io.StringIO()
    try:
        os.environ.clear()
        os.environ.update(env)
        time.tzset()  # a TZ in `env` binds at once, as in a new process
        os.chdir(cwd)
        sys.stdout, sys.stderr = stdout, stderr
        code = main(args)
        stdout.flush()
    finally:
        sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        time.tzset()
    return subprocess.CompletedProcess(args, code, stdout.buffer.getvalue().decode("utf-8"), stderr.getvalue())


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run `summarise ARGS` as a user would, and give back its exit code, stdout and stderr.

    In process, as Datasette's CLI runner does (`main(argv)` with its own stdout and stderr), which
    spares the suite a Python start and every import per call; the environment a cron job gives
    (no NLTK data, a bare HOME, a C locale) is set the same. The real command in a child process is
    tested in test_cron.py and for `unprivileged` runs, which need one.
    """

    def run(
        *args: str, cwd: Path | None = None, unprivileged: bool = False, real: bool = False, timeout: float = 120
    ) -> subprocess.CompletedProcess:
        """`unprivileged`: file permissions bind even when the tests run as root (as on CI); `real`:
        the installed command in a child process (for what only a process of its own shows, such as
        its peak memory)."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path / "home"),
            "NLTK_DATA": str(tmp_path / "no-nltk-data"),
            "LANG": "C.UTF-8",
        }
        if real or (unprivileged and os.geteuid() == 0):
            prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"] if unprivileged else []
            return subprocess.run(
                [*prefix, *summarise_command(), *args],
                cwd=cwd or tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        return call_main(list(args), env, cwd or tmp_path)

    return run
