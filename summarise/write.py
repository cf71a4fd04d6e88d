"""Write digest files so that a reader never sees half of one.

Each file goes to a temporary file in the destination folder, is flushed to
disk, and is then renamed over the old one: a rename within one file
system is atomic, so the previous digest stays whole until the new one is.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_files(folder: str, files: dict[str, bytes]) -> list[Path]:
    """Write each name -> bytes into `folder`; returns the paths written."""
    written = []
    for name, data in files.items():
        path = Path(folder) / name
        write_atomic(path, data)
        written.append(path)
    return written
