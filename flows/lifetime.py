"""Process lifetime: a child stops when its parent is gone or its own deadline passes; a server this
process started stops when this process ends, however it ends (SIGKILL included)."""

from __future__ import annotations

import math
import os
import select
import signal
import subprocess
import sys
import threading

_WATCHERS: list[subprocess.Popen[bytes]] = []
"""Watcher processes; each holds the read end of a pipe whose write end only this process holds."""

WATCHER = """
import os, select, signal, sys
pid = int(sys.argv[1])
handle = os.pidfd_open(pid) if hasattr(os, "pidfd_open") else None  # this process, even if its pid is reused
sys.stdin.buffer.read()  # returns at EOF: the process that started us has ended
def send(sig):
    try:
        signal.pidfd_send_signal(handle, sig) if handle is not None else os.kill(pid, sig)
    except (ProcessLookupError, OSError):
        sys.exit(0)
send(signal.SIGTERM)
if handle is None or not select.select([handle], [], [], 5)[0]:
    send(signal.SIGKILL)
"""


def stop_with_this_process(pid: int) -> None:
    """Start a small watcher that stops process `pid` (SIGTERM, then SIGKILL after 5 s) once this process
    has ended: the kernel closes our end of its stdin pipe even when we are SIGKILLed."""
    watcher = subprocess.Popen([sys.executable, "-c", WATCHER, str(pid)], stdin=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _WATCHERS.append(watcher)  # kept referenced: collecting it would close the pipe and stop the server


def die_with_reader(fd: int) -> None:
    """In a child: exit at once when the process reading our result pipe is gone (its end closes).
    Linux reports POLLERR on a pipe's write end whose readers have all gone."""
    def watch() -> None:
        poller = select.poll()
        poller.register(fd, 0)  # no events asked: only POLLERR / POLLHUP wake us
        while True:
            for _, event in poller.poll():
                if event & select.POLLNVAL:  # we closed the pipe ourselves: the work is done
                    return
                if event & (select.POLLERR | select.POLLHUP):
                    os._exit(1)

    threading.Thread(target=watch, name="die-with-reader", daemon=True).start()


def die_at(seconds: float) -> None:
    """In a child: the kernel ends this process after `seconds` (SIGALRM, default action), even when the
    parent that should stop it is gone or stalled, and even while C code holds the GIL."""
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(max(1, math.ceil(seconds)))


def die_quietly_on_closed_pipe() -> None:
    """In a child: a write to a pipe nobody reads ends the process silently (no BrokenPipe traceback)."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
