"""What every worker process of a run does first."""

from __future__ import annotations

import os
import signal
import threading
import time


def exit_with_parent(poll_seconds: float = 0.5) -> None:
    """In a worker process: end it as soon as the process that started it is gone.

    A run killed while its workers read or split would otherwise leave them running on, orphans
    working for nobody. A daemon thread notices the parent's death (the worker is handed to
    another parent) and ends the worker at once. SIGTERM ends a worker outright.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the run's own SIGTERM handler is the parent's alone
    parent = os.getppid()

    def watch() -> None:
        """Wait until the parent process is gone, then end this worker at once."""
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
