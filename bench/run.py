#!/usr/bin/env python
"""Build-time benchmark: sitegen against plain MkDocs on the same generated corpus.

    python bench/run.py [--versions 50,200] [--languages 4] [--runs 3] [--seed 1]

For each size N it writes a corpus of N versions x L languages with bench/corpus.py
(a sitegen site and its MkDocs twin, in a temporary folder), then times whole
processes, alternating: sitegen, mkdocs, sitegen, mkdocs, ... (--runs of each):

    sitegen build --site SITE --out OUT --today 2026-11-28      (OUT new each run)
    mkdocs build -q -f TWIN/mkdocs.yml -d OUT                    (OUT new each run)

and reports the median wall time of each. Outputs are deleted only when the
benchmark ends: on ext4 without a journal the kernel does not reuse an inode
freed in the last minutes (up to five, fs/ext4/ialloc.c, recently_deleted), and
steps over every one of them for each file and folder it creates, which a
machine that builds a site (a CI runner, an editor's laptop) does not do;
deleting between runs made each run slower than the one before. For the same
reason, start a run five minutes after anything deleted thousands of files (an
earlier run, the test suite): sitegen makes 5,600 files and folders to
MkDocs' 1,600, and in a cold build made two minutes after a run had deleted its
outputs, ext4 spent 4 % of sitegen's time there (perf record).

Then, on the last sitegen output, --runs times each, alternating, median: a
rebuild after one version file changed (a sentence appended to a paragraph of
the middle version, then of the latest, first language) and a rebuild with
nothing changed. Peak memory and CPU time are those of the sitegen process
itself (os.wait4 gives one child's own rusage), max and median over the cold
runs. Last, the example site of this repository, built cold --runs times.

sitegen runs from a copy of sitegen/ taken when the benchmark starts (by a
launcher doing what the `sitegen` console script does), so edits made to the
package meanwhile do not mix into one run; the commit is printed. The copy is
byte-compiled first, as an installed package is.

MkDocs 1.6.1 is installed once into bench/.venv-mkdocs (python -m venv + pip);
that folder is ignored by git through bench/.gitignore.

Wall times are sensitive to other load on the machine: the load average is
printed before and after; the CPU column (user + system of the build process)
is the steadier figure when the machine is shared.
"""
from __future__ import annotations

import argparse
import compileall
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VENV = HERE / ".venv-mkdocs"
MKDOCS_VERSION = "1.6.1"
TODAY = "2026-11-28"

sys.path.insert(0, str(HERE))
import corpus  # noqa: E402  (bench/corpus.py, beside this file)


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Run:
    wall: float
    cpu: float          # user + system seconds of the child itself
    maxrss_kb: int
    system: float = 0.0  # of which in the kernel (mostly the file system)


@dataclass
class Failure(Exception):
    command: list[str]
    code: int
    output: str

    def __str__(self) -> str:
        return f"`{shlex.join(self.command)}` exited {self.code}:\n{self.output}"


def timed(command: list[str], cwd: Path | None = None) -> Run:
    """Run ``command`` to the end; its wall time, CPU time and peak RSS (its own)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd,
                                stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            out.seek(0)
            raise Failure(command, proc.returncode, out.read().decode("utf-8", "replace")[-4000:])
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, usage.ru_stime)


def sitegen_snapshot(work: Path) -> list[str]:
    """The command that runs a copy of sitegen/ taken now.

    Other people edit sitegen/ while the benchmark runs; a copy keeps every build
    of one run on the same code (and a half-saved edit from breaking a build).
    The launcher is what the `sitegen` console script does; Python puts the
    launcher's folder first on sys.path, so the copy wins over the editable install.
    The copy is byte-compiled, as pip compiles a package it installs (and as
    MkDocs is in its venv): where PYTHONDONTWRITEBYTECODE is set, every run would
    otherwise compile sitegen's modules again (about 40 ms).
    """
    src = work / "src"
    shutil.copytree(REPO / "sitegen", src / "sitegen",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    compileall.compile_dir(src / "sitegen", quiet=1)
    launcher = src / "sitegen_main.py"
    launcher.write_text("from sitegen.cli import run\nrun()\n")
    return [sys.executable, str(launcher)]


def mkdocs_executable() -> str:
    """MkDocs in its own throw-away venv, created on first use."""
    mkdocs = VENV / "bin" / "mkdocs"
    if mkdocs.is_file():
        probe = subprocess.run([str(mkdocs), "--version"], capture_output=True, text=True)
        if probe.returncode == 0 and f"version {MKDOCS_VERSION} " in probe.stdout:
            return str(mkdocs)
        shutil.rmtree(VENV)
    log(f"installing mkdocs=={MKDOCS_VERSION} into {VENV}")
    for command in ([sys.executable, "-m", "venv", str(VENV)],
                    [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q",
                     f"mkdocs=={MKDOCS_VERSION}"]):
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"`{shlex.join(command)}` failed:\n{done.stdout}{done.stderr}")
    return str(mkdocs)


def html_files(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class Result:
    versions: int
    languages: int
    pages: int = 0                      # Markdown files: versions x languages
    kb_per_page: float = 0.0
    sitegen: list[Run] = field(default_factory=list)
    mkdocs: list[Run] = field(default_factory=list)
    middle: list[Run] = field(default_factory=list)
    changed: list[Run] = field(default_factory=list)
    unchanged: list[Run] = field(default_factory=list)
    sitegen_html: int = 0
    mkdocs_html: int = 0
    failures: list[str] = field(default_factory=list)

    def sg(self) -> float:
        return median([r.wall for r in self.sitegen])

    def mk(self) -> float:
        return median([r.wall for r in self.mkdocs])


def append_sentence(file: Path, n: int) -> None:
    """Append one sentence to the first paragraph of the text (one line, not a heading)."""
    lines = file.read_text("utf-8").split("\n")
    body = lines.index("---", 1) + 1
    for i in range(body, len(lines)):
        if lines[i] and not lines[i].startswith(("#", "-", "<")):
            lines[i] += f" Benchmark edit number {n} appends this sentence."
            break
    file.write_text("\n".join(lines), "utf-8")


def bench_size(n: int, langs: int, runs: int, seed: int, work: Path, sitegen: list[str],
               mkdocs: str) -> Result:
    result = Result(n, langs)
    site, twin = work / f"site-{n}", work / f"mkdocs-{n}"
    facts = corpus.write_corpus(site, n, langs, seed, mkdocs=twin)
    result.pages, result.kb_per_page = facts["pages"], facts["mean_bytes"] / 1024
    log(f"{n} x {langs}: corpus of {facts['pages']} pages written "
        f"({result.kb_per_page:.1f} KB a page)")
    build = [*sitegen, "build", "--site", str(site), "--today", TODAY, "--out"]
    last_out = None
    for r in range(runs):
        for tool in ("sitegen", "mkdocs"):
            out = work / f"out-{tool}-{n}-{r}"
            command = build + [str(out)] if tool == "sitegen" else \
                [mkdocs, "build", "-q", "-f", str(twin / "mkdocs.yml"), "-d", str(out)]
            if tool == "sitegen":            # cold: no results kept from an earlier run
                shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)
            try:
                run = timed(command)
            except Failure as err:
                result.failures.append(str(err))
                log(f"{tool} FAILED: {err}")
                continue
            log(f"{n} x {langs}: {tool} run {r + 1}: {run.wall:.2f} s wall, {run.cpu:.2f} s CPU "
                f"({run.system:.2f} system)")
            if tool == "sitegen":
                result.sitegen.append(run)
                result.sitegen_html = html_files(out)
                last_out = out
            else:
                result.mkdocs.append(run)
                result.mkdocs_html = html_files(out)
    if last_out is None:
        return result
    latest = site / "versions" / facts["latest"] / f"{facts['languages'][0]}.md"
    versions = sorted((p.name for p in (site / "versions").iterdir() if p.is_dir()),
                      key=lambda v: tuple(int(x) for x in v.split(".")))
    middle = site / "versions" / versions[len(versions) // 2] / f"{facts['languages'][0]}.md"
    for r in range(runs):
        append_sentence(middle, r + 1)
        try:
            run = timed(build + [str(last_out)])
            result.middle.append(run)
            log(f"{n} x {langs}: rebuild, a middle version changed, run {r + 1}: {run.wall:.2f} s")
        except Failure as err:
            result.failures.append(str(err))
        append_sentence(latest, r + 1)
        for kind, runs_of in (("the latest version changed", result.changed),
                              ("nothing changed", result.unchanged)):
            try:
                run = timed(build + [str(last_out)])
            except Failure as err:
                result.failures.append(str(err))
                log(f"rebuild FAILED: {err}")
                continue
            runs_of.append(run)
            log(f"{n} x {langs}: rebuild, {kind}, run {r + 1}: {run.wall:.2f} s")
    return result


def example_site(runs: int, work: Path, sitegen: list[str]) -> tuple[list[Run], list[str]]:
    results, failures = [], []
    for r in range(runs):
        out = work / f"out-example-{r}"
        shutil.rmtree(REPO / ".sitegen-cache", ignore_errors=True)
        try:
            results.append(timed([*sitegen, "build", "--site", str(REPO), "--out", str(out),
                                  "--today", TODAY]))
        except Failure as err:
            failures.append(str(err))
    return results, failures


def cpu(runs: list[Run]) -> float:
    return median([r.cpu for r in runs])


def fmt(value: float, digits: int = 2) -> str:
    return "n/a" if value != value else f"{value:.{digits}f}"


def report(results: list[Result], example: list[Run], runs: int) -> None:
    header = ["size (v x l)", "md pages", "sitegen s", "mkdocs s", "sitegen/mkdocs",
              "sitegen html", "sitegen pages/s", "mkdocs html", "mkdocs pages/s",
              "sitegen CPU s", "mkdocs CPU s", "CPU ratio", "sitegen peak MB",
              "rebuild middle changed s (CPU)", "rebuild latest changed s (CPU)",
              "rebuild no change s (CPU)"]
    rows = []
    for res in results:
        sg, mk = res.sg(), res.mk()
        rows.append([f"{res.versions} x {res.languages}", str(res.pages), fmt(sg), fmt(mk),
                     fmt(sg / mk if mk else float("nan")),
                     str(res.sitegen_html), fmt(res.sitegen_html / sg, 0),
                     str(res.mkdocs_html), fmt(res.mkdocs_html / mk, 0),
                     fmt(median([r.cpu for r in res.sitegen])),
                     fmt(median([r.cpu for r in res.mkdocs])),
                     fmt(median([r.cpu for r in res.sitegen]) / median([r.cpu for r in res.mkdocs])
                         if res.mkdocs else float("nan")),
                     fmt(max((r.maxrss_kb for r in res.sitegen), default=float("nan")) / 1024, 0),
                     f"{fmt(median([r.wall for r in res.middle]))} "
                     f"({fmt(median([r.cpu for r in res.middle]))})",
                     f"{fmt(median([r.wall for r in res.changed]))} "
                     f"({fmt(median([r.cpu for r in res.changed]))})",
                     f"{fmt(median([r.wall for r in res.unchanged]))} "
                     f"({fmt(median([r.cpu for r in res.unchanged]))})"])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print()
    print(f"Medians of {runs} run(s), whole-process wall time; sitegen and mkdocs alternated.")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.rjust(w) for c, w in zip(row, widths)) + " |")
    print()
    for res in results:
        print(f"{res.versions} x {res.languages} runs (s): sitegen "
              f"{', '.join(fmt(r.wall) for r in res.sitegen)}; mkdocs "
              f"{', '.join(fmt(r.wall) for r in res.mkdocs)}; rebuild 1 change "
              f"{', '.join(fmt(r.wall) for r in res.changed)}; rebuild no change "
              f"{', '.join(fmt(r.wall) for r in res.unchanged)}")
    if len(results) >= 2:
        small, big = min(results, key=lambda r: r.versions), max(results, key=lambda r: r.versions)
        print(f"{big.versions}/{small.versions} time ratio: sitegen "
              f"{fmt(big.sg() / small.sg())}, mkdocs {fmt(big.mk() / small.mk())} "
              f"(CPU: sitegen {fmt(cpu(big.sitegen) / cpu(small.sitegen))}, "
              f"mkdocs {fmt(cpu(big.mkdocs) / cpu(small.mkdocs))}; "
              f"Markdown pages x{big.pages / small.pages:.1f}, "
              f"sitegen HTML files x{big.sitegen_html / max(small.sitegen_html, 1):.1f})")
    if example:
        print(f"example site (this repository), cold build: "
              f"{fmt(median([r.wall for r in example]))} s median wall "
              f"({', '.join(fmt(r.wall) for r in example)}), "
              f"{fmt(median([r.cpu for r in example]))} s CPU, "
              f"{max(r.maxrss_kb for r in example) / 1024:.0f} MB peak")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", default="50,200",
                        help="comma-separated corpus sizes in versions (default 50,200)")
    parser.add_argument("--languages", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = [int(v) for v in args.versions.split(",") if v.strip()]

    print("$ " + shlex.join([Path(sys.executable).name, *sys.argv]), flush=True)
    mkdocs = mkdocs_executable()
    mkdocs_version = subprocess.run([mkdocs, "--version"], capture_output=True,
                                    text=True).stdout.strip().split(" from ")[0]
    git = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "sitegen"],
                           capture_output=True, text=True).stdout.split("\n")
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"sitegen: a copy of sitegen/ taken at the start (commit {git or '?'}, "
          f"{sum(1 for line in dirty if line.strip())} uncommitted change(s) under sitegen/)")
    print(f"{mkdocs_version} ({mkdocs})")
    print(f"sitegen build: python SNAPSHOT/sitegen_main.py build --site SITE --out OUT "
          f"--today {TODAY}")
    print(f"mkdocs build:  {shlex.join([mkdocs, 'build', '-q', '-f', 'TWIN/mkdocs.yml', '-d', 'OUT'])}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

    started = time.perf_counter()
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as tmp:   # deleted at the end
        work = Path(tmp)
        sitegen = sitegen_snapshot(work)
        probe = subprocess.run([*sitegen, "--version"], capture_output=True, text=True)
        if probe.returncode != 0:
            raise SystemExit(f"the copy of sitegen does not start:\n{probe.stderr}")
        results = []
        for n in sizes:
            result = bench_size(n, args.languages, args.runs, args.seed, work, sitegen, mkdocs)
            results.append(result)
            failures += result.failures
        log("example site")
        example, example_failures = example_site(args.runs, work, sitegen)
        failures += example_failures
    report(results, example, args.runs)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"the benchmark took {time.perf_counter() - started:.0f} s")
    for failure in failures:
        print(f"\nFAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
