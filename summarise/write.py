"""Write the output folder so that a reader never sees half a file and two runs never collide.

Each file goes to a temporary file in the destination folder, is flushed to
disk, and is then renamed over the old one: a rename within one file system
is atomic, so the previous file stays whole until the new one is. A run
killed mid-write leaves only a hidden ``.NAME.XXXX.tmp`` file, which the next
run removes once it holds the folder's lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

LOCK_NAME = ".summarise.lock"
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]+\.tmp$")
# Test hook: seconds to stall halfway through writing each file, so a test can kill a run mid-write.
STALL_ENV = "SUMMARISE_TEST_STALL_WRITE"


class LockBusy(Exception):
    """Another run holds the output folder's lock."""


def write_atomic(path: Path, data: bytes) -> None:
    """Write one file whole or not at all: the old file stays until the new one is complete."""
    write_files(path.parent, {path.name: data})


def write_files(folder: str | Path, files: dict[str, bytes]) -> list[Path]:
    """Write each name -> bytes into `folder` as one set; returns the paths written.

    Every file is first written in full to its temporary file and flushed to disk; only when all
    are there are they renamed into place, one after another. So a failure while writing (a full
    disk, a quota, a kill) leaves every old file as it was: a day's digests are all new or all old,
    never an HTML of today beside a JSON of yesterday's run.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ready: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            ready.append((_write_temporary(folder / name, data), folder / name))
        with _signals_held():  # a SIGTERM between two renames would leave the set half new
            for temporary, path in ready:
                os.replace(temporary, path)
    except BaseException:
        for temporary, _ in ready:
            Path(temporary).unlink(missing_ok=True)
        raise
    return [path for _, path in ready]


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGTERM and SIGINT held back for the block (they arrive after it), in the main thread; a kill
    that cannot be held (SIGKILL, power loss) can still land between two renames."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGTERM, signal.SIGINT}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _write_temporary(path: Path, data: bytes) -> str:
    """`data` in a new temporary file beside `path`, flushed to disk; returns the temporary's name."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            stall = float(os.environ.get(STALL_ENV) or 0)
            if stall > 0:
                handle.write(data[: len(data) // 2])
                handle.flush()
                time.sleep(stall)
                data = data[len(data) // 2 :]
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


# The lock files this process holds open. A forked worker inherits every open file, and a flock
# lasts while any copy of its file is open: a worker that outlived a killed run would keep the
# lock, and every later run would find the folder busy. So each child closes its copies at once.
_HELD_LOCKS: set[int] = set()


def _drop_inherited_locks() -> None:
    for fd in _HELD_LOCKS:
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_drop_inherited_locks)


@contextlib.contextmanager
def folder_lock(folder: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the folder's lock for the block; raises LockBusy if another run keeps it past `wait` seconds.

    `flock` locks belong to the open file, so the kernel releases a killed
    run's lock at once: there is never a stale lock to clear by hand. Only
    this process holds it (forked workers close their copy), and the lock
    file is never reached through a symbolic link.
    """
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    _HELD_LOCKS.add(fd)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusy(str(folder)) from None
                time.sleep(min(0.2, max(deadline - time.monotonic(), 0.01)))
        yield
    finally:
        _HELD_LOCKS.discard(fd)
        os.close(fd)  # closing releases the lock



def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporary files a killed run left behind (call only while holding the lock)."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in sorted(folder.iterdir()):
            if _TEMPORARY.match(entry.name) and entry.is_file():
                entry.unlink(missing_ok=True)
                removed.append(entry)
    for path in removed:
        log.info("removed %s, left by an interrupted run", path)
    return removed
