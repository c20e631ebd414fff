"""Golden output: the built site stays the same, byte for byte.

Guards refactorings that must not change what sitegen publishes (such as moving
the modules of ``sitegen/`` into sub-packages): two sites are built with the
``sitegen`` command in a fresh interpreter and every file of the output is
compared, by SHA-256, with a reference kept in ``tests/golden/``:

* ``example-site.sha256``: the repository's example site (its ``content/``,
  ``versions/`` and ``theme/``, copied into a temporary folder so that the
  repository's own ``public/`` and ``.sitegen-cache/`` are never touched), built
  with ``--today 2026-06-01``;
* ``corpus-200x4.sha256``: the benchmark corpus written by
  ``bench/corpus.py SITE --versions 200 --languages 4 --seed 1`` (200 versions
  x nl, en, de, ja, with tables; its last version is dated 2026-05-07), built with
  ``--today 2026-11-28`` and the default number of jobs.

Both use the ``base_url`` of their ``content/site.yaml``. The references were
made with the code of commit aa439d1, before the restructuring.

Left out of the comparison: ``.sitegen-manifest`` at the root of the output. It
is sitegen's bookkeeping for incremental builds, not part of the published
site, and it holds fingerprints of the inputs *including sitegen's own code*,
so it changes with any edit of a module even when every page stays the same.

The reference files are ``sha256sum`` lines (``<sha256>  <path>``, sorted by
path, ``/`` separators); ``cd OUT && sha256sum -c FILE`` checks a build by hand.

When a change of the output is intended, rebuild the references and review
the diff of ``tests/golden/`` like any other change::

    SITEGEN_UPDATE_GOLDEN=1 python -m pytest tests/e2e/test_golden.py

With ``SITEGEN_UPDATE_GOLDEN=1`` the test rewrites the reference file instead of
comparing, and passes.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden"
UPDATE = os.environ.get("SITEGEN_UPDATE_GOLDEN") == "1"

# Bookkeeping in the output folder, not part of the published site (see above).
EXCLUDED = frozenset({".sitegen-manifest"})

# The console script (``sitegen = sitegen.cli:run``). Not ``python -m sitegen.cli``:
# cli.py has no ``__main__`` block, so that would exit 0 having built nothing.
# It first names the cli module it runs, for the test to check that it is this
# checkout's code that was built with.
CLI = ("import sys, sitegen.cli as cli; print('sitegen.cli:', cli.__file__, file=sys.stderr); "
       "cli.run()")

CORPUS = ("--versions", "200", "--languages", "4", "--seed", "1")
EXAMPLE_TODAY = "2026-06-01"
CORPUS_TODAY = "2026-11-28"     # after 2026-05-07, the date of the corpus's last version


def _env() -> dict[str, str]:
    """The environment of the subprocesses: this checkout's sitegen comes first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, cwd=cwd, env=_env(), capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, (f"{args} exited with {proc.returncode}\n"
                                  f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def _build(site: Path, out: Path, today: str, cwd: Path) -> None:
    proc = _run([sys.executable, "-c", CLI, "build", "--site", str(site), "--out", str(out),
                 "--today", today], cwd)
    used = next((line.split(":", 1)[1].strip() for line in proc.stderr.splitlines()
                 if line.startswith("sitegen.cli:")), "")
    assert used and Path(used).resolve().is_relative_to(REPO / "sitegen"), (
        f"the build ran sitegen from {used!r}, not from this checkout ({REPO})")
    assert proc.stdout.startswith("built "), proc.stdout


def _digests(folder: Path) -> dict[str, str]:
    """``{relative path: hex SHA-256}`` of every file below ``folder``, minus EXCLUDED."""
    found = {}
    for path in folder.rglob("*"):
        rel = path.relative_to(folder).as_posix()
        if rel in EXCLUDED:
            continue
        assert not path.is_symlink(), f"{rel}: a link in the output"
        if path.is_file():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _format(digests: dict[str, str]) -> str:
    return "".join(f"{digest}  {rel}\n" for rel, digest in sorted(digests.items()))


def _parse(text: str) -> dict[str, str]:
    digests = {}
    for line in text.splitlines():
        if line.strip():
            digest, rel = line.split("  ", 1)
            digests[rel] = digest
    return digests


def _compare(out: Path, name: str) -> None:
    golden = GOLDEN / name
    built = _digests(out)
    assert built, f"the build wrote nothing into {out}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(_format(built), "utf-8", newline="\n")
        return
    assert golden.is_file(), (f"no reference {golden}; make it with "
                              f"SITEGEN_UPDATE_GOLDEN=1 python -m pytest {Path(__file__).name}")
    expected = _parse(golden.read_text("utf-8"))
    problems = sorted(
        [(rel, "differs") for rel in built.keys() & expected.keys()
         if built[rel] != expected[rel]]
        + [(rel, "missing") for rel in expected.keys() - built.keys()]
        + [(rel, "extra") for rel in built.keys() - expected.keys()])
    if problems:
        counts = {kind: sum(1 for _, k in problems if k == kind)
                  for kind in ("differs", "missing", "extra")}
        shown = "\n".join(f"  {kind:8} {rel}" for rel, kind in problems[:20])
        pytest.fail(
            f"the output is not the one in tests/golden/{name}: "
            + ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
            + f" (of {len(expected)} files in the reference); the first "
            f"{min(20, len(problems))}:\n{shown}\n"
            "If this change is intended, see this module's docstring to update the reference.",
            pytrace=False)


def test_the_example_site_builds_as_before(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for folder in ("content", "versions", "theme"):
        shutil.copytree(REPO / folder, site / folder)
    out = tmp_path / "public"
    _build(site, out, EXAMPLE_TODAY, tmp_path)
    _compare(out, "example-site.sha256")


def test_the_benchmark_corpus_builds_as_before(tmp_path: Path) -> None:
    site = tmp_path / "corpus"
    _run([sys.executable, str(REPO / "bench" / "corpus.py"), str(site), *CORPUS], tmp_path)
    out = tmp_path / "public"
    _build(site, out, CORPUS_TODAY, tmp_path)
    _compare(out, "corpus-200x4.sha256")
