"""The key that seals the files of ``.sitegen-cache/``, kept outside the site.

32 random bytes in the user's cache folder (``$XDG_CACHE_HOME/sitegen/key``, else
``~/.cache/sitegen/key``), made on first use, private to the user. Where no key
can be had (no such folder, one open to others, one inside the site), nothing of
the cache is read and nothing written (``cache_off`` says why).
"""
from __future__ import annotations

import os
import secrets
import stat
import time
from pathlib import Path

KEY_SIZE = 32
KEY_NAME = "key"                # in the user's cache folder: $XDG_CACHE_HOME/sitegen/key
CACHE_FOLDER = ".sitegen-cache"


class NoKey(OSError):
    """No key for the cache (``cache_off`` says why): nothing of it is written."""


_KEYS: dict[str, tuple[bytes | None, str]] = {}   # by where the key is: it, or why not


def cache_key(near: Path) -> bytes | None:
    """The key that seals the cache files at ``near`` (a file or folder of a
    site's ``.sitegen-cache/``), or None where there is none (``cache_off``)."""
    return _lookup(near)[0]


def cache_off(near: Path) -> str | None:
    """Why the cache at ``near`` is not used (no key can be had), or None if it is."""
    key, why = _lookup(near)
    return why if key is None else None


def _key_path() -> Path | None:
    """Where the key is: ``$XDG_CACHE_HOME/sitegen/key``, else ``~/.cache/sitegen/key``
    (``%LOCALAPPDATA%`` on Windows); None where none of them is set."""
    for variable, below in (("XDG_CACHE_HOME", ()), ("HOME", (".cache",)),
                            ("LOCALAPPDATA", ())):
        base = os.environ.get(variable, "")
        if base and os.path.isabs(base):
            return Path(base, *below, "sitegen", KEY_NAME)
    return None


def _lookup(near: Path) -> tuple[bytes | None, str]:
    where = _key_path()
    if where is None:
        return None, "no folder for its key (neither XDG_CACHE_HOME nor HOME is set)"
    real = os.path.realpath(where)
    site = os.path.realpath(_site_of(near))
    if real == site or real.startswith(os.path.join(site, "")):
        return None, f"its key {where} would lie inside the site (a key is never read from there)"
    if real not in _KEYS:
        _KEYS[real] = _made_or_read(Path(real), where)
    return _KEYS[real]


def _site_of(near: Path) -> Path:
    """The site whose cache ``near`` is in (the folder holding ``.sitegen-cache``),
    else the folder ``near`` is in."""
    for folder in (near, *near.parents):
        if folder.name == CACHE_FOLDER:
            return folder.parent
    return near.parent


class _Unfit(Exception):
    """A key (or its folder) that is there but must not be used."""


def _made_or_read(path: Path, shown: Path) -> tuple[bytes | None, str]:
    """The key at ``path``, made first if there is none: 32 random bytes, mode 0600
    in a folder of mode 0700. Made in a file of its own then linked to its name,
    so that processes starting at once all end up with the one linked first."""
    try:
        try:
            return _read_key(path, shown)
        except FileNotFoundError:
            pass
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        staged = path.with_name(f".{KEY_NAME}-{os.getpid()}-{secrets.token_hex(4)}")
        descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(secrets.token_bytes(KEY_SIZE))
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(staged, path)            # the first one made wins; others read it
            except FileExistsError:
                pass
            except OSError:                      # a file system without hard links
                _create_once(staged, path)
        finally:
            staged.unlink(missing_ok=True)
        return _read_key(path, shown)
    except _Unfit as err:
        return None, str(err)
    except OSError as err:
        return None, (f"could not make or read its key {shown} ({type(err).__name__}: "
                      f"{err.strerror or err})")


def _create_once(staged: Path, path: Path) -> None:
    """``path`` made with what ``staged`` holds, unless it exists (where ``os.link``
    cannot be used): written in place, so a reader may find it short for a moment."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(staged.read_bytes())


def _read_key(path: Path, shown: Path) -> tuple[bytes, str]:
    """The key at ``path`` (``FileNotFoundError`` if there is none, ``_Unfit`` if
    it is not private or not 32 bytes; one being written is waited for)."""
    _private(path.parent, shown.parent, folder=True)
    for _ in range(20):
        with open(path, "rb") as handle:
            info = _private(handle.fileno(), shown, folder=False)
            key = handle.read(KEY_SIZE + 1)
        if len(key) == KEY_SIZE:
            return key, ""
        if len(key) > KEY_SIZE or time.time() - info.st_mtime > 2:
            break
        time.sleep(0.05)                         # being written in place (``_create_once``)
    raise _Unfit(f"its key {shown} is not a key of sitegen's ({len(key)} bytes, not "
                 f"{KEY_SIZE}; delete it to make a new one)")


def _private(where: Path | int, shown: Path, folder: bool) -> os.stat_result:
    """Refuse a key (or its folder) that another user owns or can write (or, for
    the key, read): whoever can read it can seal files, and who can write it can
    choose it. (Not checked where the system has no owners: Windows.)"""
    info = os.stat(where)
    if not hasattr(os, "getuid"):
        return info
    mode = stat.S_IMODE(info.st_mode)
    open_to = mode & (0o022 if folder else 0o077)
    if info.st_uid != os.getuid() or open_to:
        owner = "is not yours" if info.st_uid != os.getuid() else f"is open to others " \
            f"(mode {mode:04o}; chmod {'700' if folder else '600'} it)"
        raise _Unfit(f"{'the folder of its key' if folder else 'its key'} {shown} {owner}")
    return info


# ------------------------------------------------------------------------ seals
