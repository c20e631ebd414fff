"""Templates compiled by an earlier build, kept in ``.sitegen-cache/templates``.

A Jinja2 bytecode cache: Jinja2 checks each compiled template against its
source; what it loads is code (marshal), which it runs, so sitegen first checks
each file's MAC, made with the user's key (``cachekey.cache_key``) over the file's
folder, name and bytes: a file planted there, or sealed with another key, is
not handed to Jinja2 (the template is compiled again, and the file named in
``files.refused``). The folder is named after sitegen's code and Jinja2's
version, since how sitegen sets up Jinja2 shapes the compiled code too. The
files are read and checked once, when the cache is made (before any worker
process is forked, so that one refused is reported by this process), and
handed to Jinja2 from memory. Newly compiled templates are written only after
a good build (``keep``): a failed build changes nothing in the site. Where the
user has no key, nothing is read or written.

Where none are kept (a build from scratch), a process of the build's compiles
them while this one loads the site (``compile_theme``, ``take``): otherwise
each process of a cold 200 x 4 build compiled them itself, 0.2 s of CPU in all.
"""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import Mapping

import jinja2

from ..content.theming import theme_of
from ..output.cachekey import cache_key
from ..output.files import note_refused, sealed, unsealed

SUFFIX = ".cache"


class CompiledTemplates(jinja2.BytecodeCache):
    def __init__(self, folder: Path, code: str) -> None:
        name = hashlib.sha256(f"{code} {jinja2.__version__}".encode()).hexdigest()[:16]
        self.folder, self.own = folder, folder / name
        self.new: dict[str, bytes] = {}
        self.refused: list[str] = []             # files whose MAC failed: removed by ``keep``
        self.key = cache_key(folder)
        self.kept: dict[str, bytes] = self._read() if self.key is not None else {}

    def _label(self, name: str) -> bytes:
        return f"sitegen template\n{self.own.name}/{name}\0".encode("utf-8", "surrogateescape")

    def _read(self) -> dict[str, bytes]:
        """The compiled templates of this code whose MAC holds, by key."""
        assert self.key is not None
        kept = {}
        try:
            names = os.listdir(self.own)
        except OSError:
            return kept                          # none compiled yet
        for name in sorted(names):
            if not name.endswith(SUFFIX):
                continue
            try:
                with open(self.own / name, "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            code = unsealed(self.key, self._label(name), data)
            if code is None:                     # cut off, changed, planted: compile again
                note_refused(f"templates/{name}")
                self.refused.append(name)
            else:
                kept[name[:-len(SUFFIX)]] = bytes(code)
        return kept

    def take(self, compiled: Mapping[str, bytes]) -> None:
        """Templates that ``compile_theme`` compiled for this build, in another
        process: loaded as if kept, and kept after a good build."""
        self.kept.update(compiled)
        self.new.update(compiled)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.kept.get(bucket.key)
        if code is None:
            return                               # not compiled yet, or refused
        try:
            bucket.load_bytecode(io.BytesIO(code))
        except Exception:                        # noqa: BLE001 -- not ours:
            bucket.reset()                       # compile it again, keep it after the build

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        buffer = io.BytesIO()
        bucket.write_bytecode(buffer)
        self.new[bucket.key] = buffer.getvalue()

    def keep(self) -> None:
        """Write what this build compiled, and remove the files refused (a template
        compiled by a worker process only is compiled again next time) and what
        other code compiled. A site where that cannot be written, or a user
        without a key, compiles its templates each time."""
        if self.key is None or not (self.new or self.refused):
            return
        try:
            for other in self.folder.glob("*"):
                if other != self.own:
                    shutil.rmtree(other) if other.is_dir() else other.unlink()
            for name in self.refused:
                (self.own / name).unlink(missing_ok=True)
            self.own.mkdir(parents=True, exist_ok=True)
            for key, code in self.new.items():
                name = f"{key}{SUFFIX}"
                fd, staged = tempfile.mkstemp(dir=self.own, suffix=".tmp")
                with os.fdopen(fd, "wb") as handle:
                    handle.write(sealed(self.key, self._label(name), code))
                os.replace(staged, self.own / name)
        except OSError:
            pass


def compile_theme(compiled: CompiledTemplates, site_dir: Path) -> dict[str, bytes]:
    """Compile the templates of the theme of the site at ``site_dir`` that
    ``compiled`` does not keep, as a build would; their compiled code, by key
    (for ``take``). A template that does not compile is left out: the build
    reports it, at its file and line."""
    from ..site.templates import make_environment      # the rendering libraries
    env = make_environment(theme_of(site_dir), compiled)
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        try:
            env.get_template(name)
        except Exception:                # noqa: BLE001 -- the build reports it
            continue
    return compiled.new
