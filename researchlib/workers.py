"""Worker processes that exit when the run that started them dies.

Method: :func:`die_with_parent` runs first in every pool worker (the
``initializer`` of analyse's ``multiprocessing.Pool`` and of report's
``ProcessPoolExecutor``). On Linux it asks the kernel to send the worker
SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``, through ctypes);
everywhere it also starts a daemon thread that checks twice a second whether
the worker's parent process is still the one that started it, and ends the
worker (``os._exit``) when it is not. Jupyter kernels started by papermill
in a report worker watch their own parent the same way (ipykernel's parent
poller), so a killed ``report`` leaves neither workers nor kernels behind.

Known limits: the parent-death signal fires when the *thread* that started
the worker ends; pools here are started and used from one thread. The
watchdog needs up to half a second to notice. A process killed with its
children in the middle of writing leaves at most a temporary file (every
file is written under a temporary name and renamed into place).
"""
from __future__ import annotations

import os
import signal
import threading
import time

__all__ = ["die_with_parent", "parent_death_signal"]

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.5


def parent_death_signal(sig=getattr(signal, "SIGKILL", 9)) -> bool:
    """Ask the Linux kernel to send ``sig`` to this process when its parent
    dies; False where that is not available."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int):
    while True:
        time.sleep(POLL_SECONDS)
        if os.getppid() != parent:
            os._exit(1)           # at once: no clean-up code runs in a worker


def die_with_parent(parent: int | None = None):
    """Make this (worker) process exit when ``parent`` (default: the process
    that started it) dies."""
    if parent is None:
        import multiprocessing
        p = multiprocessing.parent_process()
        parent = p.pid if p is not None else os.getppid()
    parent_death_signal()
    if os.getppid() != parent:      # the parent died before the signal was set
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="researchlib-parent-watchdog", daemon=True).start()
