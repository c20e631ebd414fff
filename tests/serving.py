"""Running ``sitegen serve`` inside a test: a thread, a free loopback port, a clean stop."""
from __future__ import annotations

import datetime as dt
import re
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sitegen.serve import serve


@contextmanager
def running(root: Path, today: dt.date, logs: list[str] | None = None) -> Iterator[str]:
    """``serve`` in a thread on a free loopback port; yields its URL, stops it after."""
    logs = logs if logs is not None else []
    urls: list[str] = []
    failures: list[BaseException] = []
    ready, stop = threading.Event(), threading.Event()

    def on_ready(url: str) -> None:
        urls.append(url)
        ready.set()

    def run() -> None:
        try:
            serve(root, "127.0.0.1", 0, today, logs.append, ready=on_ready, stop=stop)
        except BaseException as err:        # reported to the test below
            failures.append(err)
            ready.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        assert ready.wait(30), "serve never called ready()"
        assert not failures, failures
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", urls[0]), urls[0]
        yield urls[0]
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive(), "serve did not return after stop was set"
    assert not failures, failures
