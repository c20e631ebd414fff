#!/usr/bin/env python
"""How long a redline takes: flat word diffs against sitegen's section-aware diff.

Cases:
  (a) the real pair nl 3.0 -> 3.1
  (b) a synthetic ~100 KB statement (~150 numbered sections built from the real
      ones, varied) against a lightly edited copy
  (c) that statement against a full rewrite: every word replaced, same headings
  (d) a full rewrite with different headings as well

Methods, each timed with time.perf_counter, best of --runs:
  (1) difflib.SequenceMatcher(autojunk=False) over all word tokens of the whole text
  (2) diff-match-patch over word tokens (one char per token, Diff_Timeout=0),
      then diff_cleanupSemantic
  (3) sitegen.redline.diff.compare: sections matched, blocks diffed, words inside changed
      blocks (the Markdown conversion it needs is done beforehand, not timed; it
      is shown in its own column)

Every measurement runs in a child process; one that is still going after --cap
seconds is stopped and reported as capped, so the script never hangs.

Usage: python bench/diff_bench.py [--cap 20] [--runs 3] [--jobs 2]
Not a test: pytest does not collect it.
"""
from __future__ import annotations

import argparse
import difflib
import multiprocessing as mp
import os
import platform
import random
import re
import sys
import time
from pathlib import Path
from typing import Callable

from diff_match_patch import diff_match_patch

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sitegen.redline.diff import Redline, compare  # noqa: E402
from sitegen.redline.textdiff import _text_similarity, tokens, word_diff  # noqa: E402
from sitegen.markdown.markup import Body, convert  # noqa: E402

LABELS = {"self_link": "Link: {title}", "rights_nav": "Rights"}
HEADING = re.compile(r"^(#{1,6}) (.*?)((?: \{[^{}]*\})?)$")
BULLET = re.compile(r"^([-*+] |[0-9]+[.)] )(.*)$")
TARGET_BYTES = 100_000
TARGET_SECTIONS = 150


# --- texts ------------------------------------------------------------------------------------

def statement_body(path: str) -> str:
    lines = (REPO / path).read_text("utf-8").split("\n")
    second = [i for i, line in enumerate(lines) if line == "---"][1]
    return "\n".join(lines[second + 1:]).strip() + "\n"


Section = tuple[str, list[list[str]]]      # heading line, blocks (each a list of lines)


def split(text: str) -> list[Section]:
    sections: list[Section] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = chunk.split("\n")
        if HEADING.match(lines[0]):
            sections.append((lines[0], []))
            lines = lines[1:]
        if lines:
            sections[-1][1].append(lines)
    return sections


def join(sections: list[Section]) -> str:
    parts = []
    for heading, blocks in sections:
        parts.append(heading)
        parts.extend("\n".join(block) for block in blocks)
    return "\n\n".join(parts) + "\n"


def size(sections: list[Section]) -> int:
    return len(join(sections).encode("utf-8"))


def map_words(line: str, change: Callable[[list[str]], list[str]]) -> str:
    bullet = BULLET.match(line)
    prefix, rest = (bullet.group(1), bullet.group(2)) if bullet else ("", line)
    return prefix + " ".join(change(rest.split()))


def words_of(line: str) -> list[str]:
    bullet = BULLET.match(line)
    return (bullet.group(2) if bullet else line).split()


def synthetic(base: str, rng: random.Random) -> list[Section]:
    """~150 numbered sections, ~100 KB: the real sections again and again, varied."""
    real = split(base)
    sentences = re.findall(r"[^.!?]+[.!?]", " ".join(
        line for _, blocks in real for block in blocks for line in block
        if not BULLET.match(line)))
    vocab = [w for s in sentences for w in s.split()]       # with repeats: real frequencies
    result: list[Section] = []
    total = 0
    while len(result) < TARGET_SECTIONS:
        heading, blocks = real[len(result) % len(real)]
        hashes, title, attrs = HEADING.match(heading).groups()
        copy = len(result) // len(real)
        number = len(result) + 1
        # articles must stay unique: only the first copy of a right keeps {art=N}
        line = f"{hashes} {number}. {title}{attrs if copy == 0 else ''}"
        varied = [[map_words(x, lambda ws: [rng.choice(vocab) if rng.random() < 0.08 else w
                                            for w in ws]) for x in block] for block in blocks]
        if copy:                       # later copies: blocks in another order
            rng.shuffle(varied)
        section = (line, varied)
        budget = TARGET_BYTES * number / TARGET_SECTIONS
        while total + size([section]) < budget - 150:
            varied.append([" ".join(rng.sample(sentences, 2)).strip()])
        total += size([section]) + 2
        result.append(section)
    return result


def light_edit(sections: list[Section], rng: random.Random) -> list[Section]:
    """What an editor does to a statement between two versions."""
    vocab = sorted({w for _, blocks in sections for b in blocks for x in b for w in x.split()})
    out = [(h, [list(b) for b in blocks]) for h, blocks in sections]
    paragraphs = [(i, j) for i, (_, blocks) in enumerate(out) for j in range(len(blocks))]
    for i, j in rng.sample(paragraphs, len(paragraphs) // 30):     # ~3 % of blocks: a few words
        block = out[i][1][j]
        k = rng.randrange(len(block))

        def edit(words: list[str]) -> list[str]:
            at = rng.randrange(len(words))
            op = rng.choice(["replace", "insert", "delete"])
            if op == "replace":
                words[at: at + 2] = [rng.choice(vocab), rng.choice(vocab)]
            elif op == "insert":
                words[at:at] = [rng.choice(vocab) for _ in range(rng.randint(1, 6))]
            elif len(words) > 3:
                del words[at: at + 3]
            return words
        block[k] = map_words(block[k], edit)
    for _ in range(2):                                                 # paragraphs out and in
        i = rng.randrange(len(out))
        if len(out[i][1]) > 1:
            del out[i][1][rng.randrange(len(out[i][1]))]
        i = rng.randrange(len(out))
        out[i][1].insert(rng.randrange(len(out[i][1]) + 1),
                         [" ".join(rng.choice(vocab) for _ in range(25)) + "."])
    lists = [b for _, blocks in out for b in blocks if BULLET.match(b[0])]
    rng.choice(lists).append("- Een nieuw punt in de lijst")
    moved = out.pop(rng.randrange(len(out)))                           # a section moves
    out.insert(rng.randrange(len(out) + 1), moved)
    i = rng.randrange(len(out))                                        # a heading is renamed
    hashes, title, attrs = HEADING.match(out[i][0]).groups()
    out[i] = (f"{hashes} {title} en meer{attrs}", out[i][1])
    return out


def rewrite(sections: list[Section], rng: random.Random, headings: bool) -> list[Section]:
    """Every word of every block replaced by another word of the text (all the text's
    words shuffled); with ``headings``, the heading texts are drawn from them too."""
    pool = [w for _, blocks in sections for b in blocks for x in b for w in words_of(x)]
    rng.shuffle(pool)
    words = iter(pool * 2)

    def new_words(old: list[str]) -> list[str]:
        return [next(words) for _ in old]

    out = []
    for number, (heading, blocks) in enumerate(sections, 1):
        if headings:
            hashes, title, attrs = HEADING.match(heading).groups()
            heading = f"{hashes} {number}. {' '.join(new_words(title.split()[1:]))}{attrs}"
        out.append((heading, [[map_words(x, new_words) for x in block] for block in blocks]))
    return out


# --- methods ---------------------------------------------------------------------------------

def flat_difflib(old: str, new: str) -> int:
    matcher = difflib.SequenceMatcher(None, tokens(old), tokens(new), autojunk=False)
    return sum(op != "equal" for op, *_ in matcher.get_opcodes())


def flat_dmp(old: str, new: str) -> int:
    table: dict[str, str] = {}

    def encode(items: list[str]) -> str:
        out = []
        for item in items:
            if item not in table:
                code = 0x100 + len(table)
                table[item] = chr(code + 0x800 if code >= 0xD800 else code)
            out.append(table[item])
        return "".join(out)

    a, b = encode(tokens(old)), encode(tokens(new))
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    return sum(op != 0 for op, _ in diffs)


def sitegen_compare(old: str, new: str, bodies: tuple[Body, Body]) -> int:
    for cached in (word_diff, _text_similarity):      # every run starts cold
        cached.cache_clear()
    result: Redline = compare(old, bodies[0], new, bodies[1])
    return sum(x.op != "equal" for s in result.sections
               for x in s.title + tuple(y for b in s.blocks for y in b.segments))


METHODS = {"flat difflib": flat_difflib, "flat dmp": flat_dmp, "sitegen": sitegen_compare}


# --- running, with a cap ----------------------------------------------------------------------

def _child(conn, method: str, old: str, new: str, bodies, runs: int) -> None:
    func = METHODS[method]
    args = (old, new, bodies) if method == "sitegen" else (old, new)
    for _ in range(runs):
        started = time.perf_counter()
        changes = func(*args)
        conn.send((time.perf_counter() - started, changes))
    conn.close()


class Cell:
    """One (case, method) measurement in its own process."""

    def __init__(self, case: str, method: str, old: str, new: str, bodies, runs: int) -> None:
        self.case, self.method, self.runs = case, method, runs
        self.times: list[float] = []
        self.changes: int | None = None
        self.capped = False
        ctx = mp.get_context("fork")
        self.conn, child = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_child, args=(child, method, old, new, bodies, runs))
        self.proc.start()
        child.close()
        self.started = time.perf_counter()

    def poll(self, cap: float) -> bool:
        """Collect results; True when finished (all runs, or capped)."""
        while self.conn.poll():
            try:
                elapsed, self.changes = self.conn.recv()
            except EOFError:
                break
            self.times.append(elapsed)
        if len(self.times) == self.runs:
            self.proc.join()
            return True
        if not self.proc.is_alive() and not self.conn.poll():
            return True
        if time.perf_counter() - self.started > cap:
            self.proc.kill()              # our own child, by its process object
            self.proc.join()
            self.capped = True
            return True
        return False

    def shown(self, cap: float) -> str:
        if not self.times:
            return f"> {cap:.0f} s (capped)"
        best = min(self.times)
        text = f"{best * 1000:.1f} ms" if best < 1 else f"{best:.2f} s"
        if len(self.times) < self.runs:
            text += f" (best of {len(self.times)}; capped)"
        return text


def run_cells(jobs: list[tuple], cap: float, runs: int, parallel: int) -> dict:
    pending, active, done = list(jobs), [], {}
    while pending or active:
        while pending and len(active) < parallel:
            active.append(Cell(*pending.pop(0), runs))
        for cell in list(active):
            if cell.poll(cap):
                active.remove(cell)
                done[(cell.case, cell.method)] = cell
                print(f"  {cell.case:<26} {cell.method:<13} {cell.shown(cap)}", file=sys.stderr)
        time.sleep(0.005)
    return done


# --- main ------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cap", type=float, default=20.0, help="seconds per measurement")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (best is kept)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="measurements at once (each its own process, one core each)")
    parser.add_argument("--seed", type=int, default=2018)
    args = parser.parse_args()
    began = time.perf_counter()

    rng = random.Random(args.seed)
    old_real, new_real = statement_body("versions/3.0/nl.md"), statement_body("versions/3.1/nl.md")
    big = synthetic(new_real, rng)
    big_text = join(big)
    cases = {
        "(a) real nl 3.0 -> 3.1": (old_real, new_real),
        "(b) 100 KB, light edit": (big_text, join(light_edit(big, rng))),
        "(c) 100 KB, full rewrite": (big_text, join(rewrite(big, rng, headings=False))),
        "(d) rewrite + new headings": (big_text, join(rewrite(big, rng, headings=True))),
    }
    bodies, convert_time = {}, {}
    for name, (old, new) in cases.items():
        started = time.perf_counter()
        bodies[name] = (convert(old, "old.md", 1, LABELS), convert(new, "new.md", 1, LABELS))
        convert_time[name] = time.perf_counter() - started

    jobs = [(name, method, old, new, bodies[name] if method == "sitegen" else None)
            for method in ("sitegen", "flat dmp", "flat difflib")
            for name, (old, new) in cases.items()]
    print(f"measuring {len(jobs)} cells, {args.jobs} at a time, cap {args.cap:.0f} s ...",
          file=sys.stderr)
    done = run_cells(jobs, args.cap, args.runs, args.jobs)

    command = "python " + " ".join([os.path.relpath(sys.argv[0], REPO)] + sys.argv[1:])
    print(f"$ {command}")
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, best of {args.runs} "
          f"runs (time.perf_counter), each measurement in its own process, {args.jobs} at a "
          f"time, capped at {args.cap:.0f} s; seed {args.seed}")
    print()
    header = ["case", "old KB", "new KB", "tokens old/new", "sections",
              "(1) flat difflib", "(2) flat dmp", "(3) sitegen compare", "convert (not in 3)"]
    rows = []
    for name, (old, new) in cases.items():
        sections = sum(1 for line in old.split("\n") if HEADING.match(line))
        rows.append([name, f"{len(old.encode()) / 1000:.1f}", f"{len(new.encode()) / 1000:.1f}",
                     f"{len(tokens(old))}/{len(tokens(new))}", str(sections),
                     done[(name, "flat difflib")].shown(args.cap),
                     done[(name, "flat dmp")].shown(args.cap),
                     done[(name, "sitegen")].shown(args.cap),
                     f"{convert_time[name] * 1000:.0f} ms"])
    print_table(header, rows)
    print()
    print("Change runs reported (non-equal opcodes / diffs / segments; fewer reads better):")
    print_table(["case", "(1) flat difflib", "(2) flat dmp", "(3) sitegen compare"],
                [[name] + [str(done[(name, m)].changes) if done[(name, m)].changes is not None
                           else "-" for m in ("flat difflib", "flat dmp", "sitegen")]
                 for name in cases])
    print(f"\ntotal wall time {time.perf_counter() - began:.1f} s")


def print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")


if __name__ == "__main__":
    main()
