"""Templates compiled by an earlier build, kept in ``.sitegen-cache/templates``.

A Jinja2 bytecode cache: Jinja2 checks each compiled template against its
source, and sitegen a CRC-32 of each file (one changed since it was written is
compiled again); the folder is named after sitegen's code and Jinja2's version,
since how sitegen sets up Jinja2 shapes the compiled code too. Newly compiled
templates are written only after a good build (``keep``): a failed build
changes nothing in the site.
"""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
from pathlib import Path

import jinja2

from ..output.files import sealed, unsealed


class CompiledTemplates(jinja2.BytecodeCache):
    def __init__(self, folder: Path, code: str) -> None:
        name = hashlib.sha256(f"{code} {jinja2.__version__}".encode()).hexdigest()[:16]
        self.folder, self.own = folder, folder / name
        self.new: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = (self.own / f"{bucket.key}.cache").read_bytes()
        except OSError:
            return                               # not compiled yet
        code = unsealed(data)
        if code is None:
            return                               # cut off, or changed: compile it again
        try:
            bucket.load_bytecode(io.BytesIO(code))
        except Exception:                        # noqa: BLE001 -- not ours:
            bucket.reset()                       # compile it again, keep it after the build

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        buffer = io.BytesIO()
        bucket.write_bytecode(buffer)
        self.new[bucket.key] = sealed(buffer.getvalue())

    def keep(self) -> None:
        """Write what this build compiled; remove what other code compiled. A site
        where that cannot be written compiles its templates each time."""
        if not self.new:
            return
        try:
            for other in self.folder.glob("*"):
                if other != self.own:
                    shutil.rmtree(other) if other.is_dir() else other.unlink()
            self.own.mkdir(parents=True, exist_ok=True)
            for key, data in self.new.items():
                fd, staged = tempfile.mkstemp(dir=self.own, suffix=".tmp")
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(staged, self.own / f"{key}.cache")
        except OSError:
            pass
