#!/usr/bin/env python
"""One-file rebuilds of sitegen at a commit against the working tree, alternating.

    python bench/ab_rebuild.py REV [--versions 200] [--languages 4] [--runs 12] [--seed 1] [--cold]

A change that saves 10 ms of a 0.3 s rebuild is smaller than the drift of a
shared machine over a few minutes, so the two are timed in turns, on copies of
the same corpus (bench/corpus.py): a sentence appended to a paragraph of the
middle version and a rebuild ("middle"), then to the latest version and a
rebuild ("latest": every redline against the current version changes), first
language, whole processes. Each code builds a copy of its own; the copies trade
places halfway (the copy built first was seen to be favoured by some
milliseconds), each half starting from a cold build that is not timed; with --cold, each
round ends with a build from scratch, timed ("cold"). Prints the median of
each half and their mean. Not a test.

sitegen at REV is taken with `git archive`, the working tree's sitegen/ as it is
at the start; both byte-compiled, each run by a launcher (see bench/run.py).
"""
from __future__ import annotations

import argparse
import compileall
import io
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = ("middle", "latest", "cold")
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402
from run import REPO, TODAY, append_sentence, sitegen_snapshot, timed  # noqa: E402


def snapshot_at(rev: str, work: Path) -> list[str]:
    """The command that runs sitegen/ as it was at commit ``rev``."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "sitegen"],
                             capture_output=True, check=True).stdout
    src = work / "src-rev"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(src)
    compileall.compile_dir(src / "sitegen", quiet=1)
    launcher = src / "sitegen_main.py"
    launcher.write_text("from sitegen.cli import run\nrun()\n")
    return [sys.executable, str(launcher)]


def half(codes: dict[str, list[str]], sites: list[Path], runs: int, first_edit: int,
         cold: bool = False) -> dict[str, dict[str, list[float]]]:
    """``runs`` rounds, each code on its site (in the order given), in turns;
    ``cold``: each round ends with a build from scratch (cache and output removed)."""
    names = list(codes)
    times: dict[str, dict[str, list[float]]] = {n: {k: [] for k in KINDS} for n in names}
    for name, site in zip(names, sites):
        timed([*codes[name], "build", "--site", str(site), "--today", TODAY])   # cold
    versions = sorted((p.name for p in (sites[0] / "versions").iterdir() if p.is_dir()),
                      key=lambda v: tuple(int(x) for x in v.split(".")))
    lang = sorted(p.stem for p in (sites[0] / "versions" / versions[-1]).glob("*.md"))[0]
    for r in range(runs):
        turn = list(zip(names, sites))
        for name, site in turn if r % 2 == 0 else reversed(turn):
            for kind, version in (("middle", versions[len(versions) // 2]),
                                  ("latest", versions[-1])):
                append_sentence(site / "versions" / version / f"{lang}.md", first_edit + r)
                build = [*codes[name], "build", "--site", str(site), "--today", TODAY]
                times[name][kind].append(timed(build).wall)
            if cold:
                for made in (".sitegen-cache", "public", ".public.previous"):
                    shutil.rmtree(site / made, ignore_errors=True)
                build = [*codes[name], "build", "--site", str(site), "--today", TODAY]
                times[name]["cold"].append(timed(build).wall)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rev", help="the commit to compare the working tree with")
    parser.add_argument("--versions", type=int, default=200)
    parser.add_argument("--languages", type=int, default=4)
    parser.add_argument("--runs", type=int, default=12, help="rounds in each half")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cold", action="store_true", help="also time builds from scratch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitegen-ab-") as tmp:
        work = Path(tmp)
        codes = {args.rev: snapshot_at(args.rev, work), "working tree": sitegen_snapshot(work)}
        medians: dict[str, dict[str, list[float]]] = {n: {k: [] for k in KINDS} for n in codes}
        for order in (0, 1):
            sites = []
            for index in range(2):
                site = work / f"site-{order}-{index}"
                corpus.write_corpus(site, args.versions, args.languages, args.seed)
                sites.append(site)
            times = half(codes, sites if order == 0 else sites[::-1], args.runs,
                         1000 * (order + 1), args.cold)
            for name, kinds in times.items():
                for kind, values in kinds.items():
                    if not values:
                        continue
                    medians[name][kind].append(statistics.median(values))
                    print(f"half {order + 1}: {name:<14} {kind:<6} median "
                          f"{statistics.median(values):.3f} s  "
                          f"({', '.join(f'{v:.2f}' for v in values)})", flush=True)
    print(f"\n{args.versions} x {args.languages}, {args.runs} rounds a half; "
          "mean of the two halves' medians, s:")
    for name, kinds in medians.items():
        print(f"  {name:<14} " + "   ".join(f"{kind} {statistics.mean(values):.3f}"
                                            for kind, values in kinds.items() if values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
