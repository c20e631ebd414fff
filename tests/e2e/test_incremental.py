"""Speed never changes a byte: incremental, cached, parallel and serial builds of the
same inputs give the same tree, and no change to any input is ever missed."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import jinja2
import pytest

import sitegen.engine.build as sitegen_build
from sitegen.markdown.chunks import ChunkConverter
from sitegen.output.manifest import MANIFEST
from tests.conftest import REPO
from tests.e2e.helpers import FULL_SITE, TODAY_ARG, build, sitegen, tree

CACHE = ".sitegen-cache"


def site_tree(out: Path) -> dict[str, bytes]:
    """The published files (the manifest names the build's inputs: left out)."""
    return {k: v for k, v in tree(out).items() if k != MANIFEST}


def fresh(site: Path, tmp_path: Path, name: str, *args: str) -> dict[str, bytes]:
    """A cold build: no earlier output, no kept results."""
    shutil.rmtree(site / CACHE, ignore_errors=True)
    out = tmp_path / name
    result = build(site, out, *args)
    assert result.exit_code == 0, result.output
    return site_tree(out)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    site = tmp_path / "example"
    shutil.copytree(REPO, site, ignore=shutil.ignore_patterns(
        "public", ".git", ".venv", "node_modules", "tests", "bench", CACHE, "artifacts"))
    return site


def test_parallel_and_serial_builds_are_identical(example: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Small sites are built in one process; lower the thresholds so that the
    example site goes through the workers too: with two jobs, each converts and
    renders one language; with three (more than its languages), the statements
    are converted in parallel, then the pages rendered in groups."""
    serial = fresh(example, tmp_path, "serial", "--jobs", "1")
    monkeypatch.setattr("sitegen.engine.statements.PARALLEL_FROM", 1)
    monkeypatch.setattr("sitegen.engine.rendering.PARALLEL_FROM", 1)
    at_once = []
    real = sitegen_build._convert_and_render
    monkeypatch.setattr(sitegen_build, "_convert_and_render",
                        lambda *args: at_once.append(1) or real(*args))
    assert fresh(example, tmp_path, "parallel", "--jobs", "2") == serial
    assert at_once == [1]
    parts = list((example / CACHE).glob("memo.pickle.part-*"))
    assert len(parts) == 3                    # each language's process's, the machines'
    monkeypatch.setattr("sitegen.markdown.chunks.ChunkConverter.__call__",
                        lambda *args: pytest.fail("converted again: the parts were not read"))
    assert site_tree(tmp_path / "parallel") == serial
    warm = build(example, tmp_path / "warm", "--jobs", "2")
    assert warm.exit_code == 0 and site_tree(tmp_path / "warm") == serial
    monkeypatch.undo()
    monkeypatch.setattr("sitegen.engine.statements.PARALLEL_FROM", 1)
    monkeypatch.setattr("sitegen.engine.rendering.PARALLEL_FROM", 1)
    monkeypatch.setattr(sitegen_build, "_convert_and_render",
                        lambda *args: at_once.append(1) or real(*args))
    assert fresh(example, tmp_path, "three", "--jobs", "3") == serial
    assert at_once == [1]


def test_cached_and_cold_builds_are_identical(example: Path, tmp_path: Path) -> None:
    cold = fresh(example, tmp_path, "cold")
    assert (example / CACHE).is_dir()
    warm = build(example, tmp_path / "warm")             # results kept from the cold build
    assert warm.exit_code == 0, warm.output
    assert site_tree(tmp_path / "warm") == cold


def test_an_unchanged_site_is_not_rebuilt(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(example, out).exit_code == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = build(example, out)
    assert again.exit_code == 0 and "up to date" in again.output
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


EDITS = {
    "a version": ("versions/3.1/nl.md", "Wij raden u aan deze zorgvuldig te lezen.",
                  "Wij raden u aan deze verklaring zorgvuldig te lezen."),
    "a version's front matter": ("versions/3.1/en.md", "title: Privacy statement Connectis",
                                 "title: Connectis privacy statement"),
    "a template": ("theme/templates/_footer.html", "<footer class=\"site-footer\">",
                   "<footer class=\"site-footer\" data-edited=\"yes\">"),
    "site.yaml": ("content/site.yaml", "en: Connectis privacy statement",
                  "en: The Connectis privacy statement"),
    "a string": ("theme/strings/nl.yaml", None, "contents: Inhoudsopgave\n"),
    "a label of redlines": ("theme/strings/nl.yaml", None, 'ins_label: "nieuw:"\n'),
}


@pytest.mark.parametrize("what", list(EDITS))
def test_an_incremental_build_equals_a_cold_build_after_an_edit(
        what: str, example: Path, tmp_path: Path) -> None:
    """Build, edit one input, build again over the same output: the result is what a
    cold build of the edited site gives, and the edit shows."""
    out = tmp_path / "out"
    assert build(example, out).exit_code == 0
    before = site_tree(out)
    path, old, new = EDITS[what]
    file = example / path
    if old is None:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(new, "utf-8")
    else:
        text = file.read_text("utf-8")
        assert old in text
        file.write_text(text.replace(old, new), "utf-8")
        (example / "versions" / "published.yaml").unlink(missing_ok=True)   # a test edit
    result = build(example, out)
    assert result.exit_code == 0, result.output
    after = site_tree(out)
    assert after != before
    assert after == fresh(example, tmp_path, "cold")


def test_incremental_build_renders_only_what_an_edit_touches(make_site, tmp_path: Path) -> None:
    site = make_site(FULL_SITE)
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    file = site / "versions/1.0/en.md"
    file.write_text(file.read_text("utf-8").replace("Text. See", "Some text. See"), "utf-8")
    result = build(site, out)
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.output
    assert site_tree(out) == fresh(site, tmp_path, "cold")


def test_an_edit_of_the_current_version_converts_only_the_chunk_edited(
        example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chunks of the texts still edited (the current version's) are kept
    between builds; an older version's are not."""
    out = tmp_path / "out"
    assert build(example, out).exit_code == 0
    converted: list[str] = []
    real = ChunkConverter.__call__
    monkeypatch.setattr(ChunkConverter, "__call__", lambda self, source, *args:
                        converted.append(source) or real(self, source, *args))
    edit(example, "versions/3.1/nl.md", "Wij raden u aan deze zorgvuldig te lezen.",
         "Wij raden u aan deze verklaring zorgvuldig te lezen.")
    assert build(example, out).exit_code == 0
    text = (example / "versions/3.1/nl.md").read_text("utf-8")
    chunk = text[text.index("## Inleiding"):text.index("\n## ", text.index("## Inleiding"))]
    assert "deze verklaring zorgvuldig" in "".join(converted)
    assert all(part.strip() in chunk for part in converted)     # the parts of one chunk
    converted.clear()
    edit(example, "versions/3.0/nl.md", "## Inleiding\n\n", "## Inleiding\n\nEen zin meer.\n\n")
    assert build(example, out).exit_code == 0
    assert len(converted) > 10                   # the whole of the older text
    assert site_tree(out) == fresh(example, tmp_path, "cold")


def edit(site: Path, path: str, old: str, new: str) -> None:
    file = site / path
    text = file.read_text("utf-8")
    assert old in text
    file.write_text(text.replace(old, new), "utf-8")
    (site / "versions" / "published.yaml").unlink(missing_ok=True)   # a test edit


def test_the_swapped_out_site_is_recycled_and_never_written_through(
        example: Path, tmp_path: Path) -> None:
    """Each build starts from the folder the build before last swapped out. Over a
    run of edits, back and forth, every build equals a cold one, and the folder kept
    aside still holds exactly the site it replaced: nothing was written through a
    file it shares with the live site."""
    out, spare = tmp_path / "out", tmp_path / ".out.previous"
    steps = [("versions/3.1/nl.md", "zorgvuldig te lezen", "zorgvuldig door te lezen"),
             ("versions/3.1/en.md", "read it carefully", "read it with care"),
             ("versions/3.1/nl.md", "zorgvuldig door te lezen", "zorgvuldig te lezen"),
             ("theme/templates/_footer.html", 'class="site-footer"', 'class="site-footer" id="f"'),
             ("versions/3.0/nl.md", "Connectis", "Connectis B.V.")]
    assert build(example, out).exit_code == 0
    for number, (path, old, new) in enumerate(steps):
        live = site_tree(out)
        edit(example, path, old, new)
        result = build(example, out)
        assert result.exit_code == 0, result.output
        assert site_tree(spare) == live, f"step {number}: the replaced site was changed"
        assert site_tree(out) == fresh(example, tmp_path, f"cold{number}"), f"step {number}"


def test_a_spare_folder_holding_a_foreign_file_is_left_alone(example: Path,
                                                              tmp_path: Path) -> None:
    out, spare = tmp_path / "out", tmp_path / ".out.previous"
    for _ in range(2):
        assert build(example, out).exit_code == 0
        edit(example, "versions/3.1/nl.md", "zorgvuldig", "zeer zorgvuldig")
    assert spare.is_dir()
    (spare / "notes.txt").write_text("mine", "utf-8")
    result = build(example, out)
    assert result.exit_code == 0, result.output
    assert (spare / "notes.txt").read_text("utf-8") == "mine"
    assert not (out / "notes.txt").exists()
    assert site_tree(out) == fresh(example, tmp_path, "cold")


def test_a_rebuild_of_one_language_is_split_over_processes(example: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """After an edit of one language, its pages are split over the processes (not
    left to one by language); the result is the cold build's."""
    monkeypatch.setattr("sitegen.engine.statements.PARALLEL_FROM", 1)
    monkeypatch.setattr("sitegen.engine.rendering.PARALLEL_FROM", 1)
    out = tmp_path / "out"
    assert build(example, out, "--jobs", "2").exit_code == 0
    edit(example, "versions/3.1/nl.md", "zorgvuldig te lezen", "zorgvuldig door te lezen")
    result = build(example, out, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert site_tree(out) == fresh(example, tmp_path, "cold", "--jobs", "1")


def test_compiled_templates_are_kept_after_a_good_build_only(example: Path,
                                                              tmp_path: Path) -> None:
    """Kept per version of sitegen's code; a template edit is seen at once."""
    folder = example / CACHE / "templates"
    (folder / "0123456789abcdef").mkdir(parents=True)          # compiled by other code
    out = tmp_path / "out"
    assert build(example, out).exit_code == 0
    kept = list(folder.iterdir())
    assert len(kept) == 1 and kept[0].name != "0123456789abcdef" and any(kept[0].iterdir())
    edit(example, "theme/templates/_footer.html", 'class="site-footer"', 'class="site-footer" id="f"')
    assert build(example, out).exit_code == 0
    assert b'id="f"' in (out / "nl/index.html").read_bytes()
    assert site_tree(out) == fresh(example, tmp_path, "cold")


def test_a_cold_build_on_two_cores_compiles_each_template_once(
        example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The process that readies the output folder compiles the theme while the
    site loads: this process and its workers compile none, and all are kept."""
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    monkeypatch.setattr("sitegen.engine.statements.PARALLEL_FROM", 1)
    monkeypatch.setattr("sitegen.engine.rendering.PARALLEL_FROM", 1)
    cold = fresh(example, tmp_path, "cold", "--jobs", "2")
    assert compiled == []
    templates = {p.name for p in (REPO / "sitegen/theme/templates").glob("*.html")}
    assert len(list((example / CACHE / "templates").glob("*/*.cache"))) == len(templates)
    assert cold == fresh(example, tmp_path, "serial", "--jobs", "1")


def test_a_template_error_is_reported_at_its_line_on_two_cores(example: Path,
                                                                 tmp_path: Path) -> None:
    edit(example, "theme/templates/_footer.html", '<footer class="site-footer">',
         '<footer class="site-footer">{% if %}')
    result = sitegen("build", "--site", str(example), "--out", str(tmp_path / "out"),
                     "--today", TODAY_ARG, "--jobs", "2")
    assert result.exit_code == 1
    line = 1 + (example / "theme/templates/_footer.html").read_text("utf-8").split(
        "{% if %}")[0].count("\n")
    assert f"theme/templates/_footer.html:{line}: error: template error" in result.output
    assert not (tmp_path / "out").exists()


def test_a_cut_off_compiled_template_is_compiled_again(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(example, out).exit_code == 0
    kept = list((example / CACHE / "templates").glob("*/*.cache"))
    assert kept
    for file in kept:                                  # a torn write, a bad cache restore
        file.write_bytes(file.read_bytes()[:30])
    edit(example, "versions/3.1/nl.md", "zorgvuldig te lezen", "zorgvuldig door te lezen")
    result = build(example, out)
    assert result.exit_code == 0, result.output
    assert site_tree(out) == fresh(example, tmp_path, "cold")


def test_a_spare_folder_changed_since_is_not_recycled(example: Path, tmp_path: Path) -> None:
    """A page replaced by an empty folder in the live site: the next build replaces
    the site (it is not complete), the folder swapped out is not reused."""
    out = tmp_path / "out"
    assert build(example, out).exit_code == 0
    page = out / "nl/3.0/index.html"
    page.unlink()
    page.mkdir()
    assert build(example, out).exit_code == 0
    assert (tmp_path / ".out.previous/nl/3.0/index.html").is_dir()
    edit(example, "versions/3.1/nl.md", "zorgvuldig te lezen", "zorgvuldig door te lezen")
    result = build(example, out)
    assert result.exit_code == 0, result.output
    assert site_tree(out) == fresh(example, tmp_path, "cold")
    assert not [p for p in out.rglob("*") if p.is_dir() and not any(p.iterdir())]


def test_a_cold_parallel_build_lists_the_errors_of_every_language_and_writes_nothing(
        example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On several cores a cold build converts and renders each language in its own
    process; an error in any of them still fails the whole build, before the swap."""
    monkeypatch.setattr("sitegen.engine.statements.PARALLEL_FROM", 1)
    monkeypatch.setattr("sitegen.engine.rendering.PARALLEL_FROM", 1)
    out = tmp_path / "out"
    assert build(example, out, "--jobs", "2").exit_code == 0
    before = tree(out)
    for lang in ("nl", "en"):
        file = example / f"versions/3.1/{lang}.md"
        file.write_text(file.read_text("utf-8") + "\n[klik](javascript:alert(1))\n", "utf-8")
    (example / "versions" / "published.yaml").unlink(missing_ok=True)   # a test edit
    shutil.rmtree(example / CACHE)                                     # cold: converted anew
    at_once = []
    real = sitegen_build._convert_and_render
    monkeypatch.setattr(sitegen_build, "_convert_and_render",
                        lambda *args: at_once.append(1) or real(*args))
    result = sitegen("build", "--site", str(example), "--out", str(out), "--today", TODAY_ARG,
                     "--jobs", "2")
    assert result.exit_code == 1
    for lang in ("nl", "en"):
        assert f"versions/3.1/{lang}.md:" in result.output and "javascript" in result.output
    assert "2 errors: the site was not built" in result.output
    assert tree(out) == before and at_once == [1]


@pytest.mark.parametrize("folder", ["out", ".out.previous"])
def test_a_file_put_in_a_folder_listed_by_an_earlier_build_is_found(
        example: Path, tmp_path: Path, folder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds keep what the output's folders held and read only the folders that
    changed since; a file someone put deep in the site, or in the folder kept
    aside, is found all the same: the site is refused, the folder aside left alone."""
    monkeypatch.setattr("sitegen.output.stamps.TICK_NS", 0)        # listed at once
    out = tmp_path / "out"
    for text in ("zeer zorgvuldig", "uiterst zorgvuldig", "heel zorgvuldig"):   # both listed
        assert build(example, out).exit_code == 0
        edit(example, "versions/3.1/nl.md", "zorgvuldig", text)
    assert (example / CACHE / "folders").is_file()
    time.sleep(0.05)                                          # past the clock's tick
    stray = tmp_path / folder / "nl" / "3.1" / "notes.txt"
    stray.write_text("mine", "utf-8")
    result = sitegen("build", "--site", str(example), "--out", str(out), "--today", TODAY_ARG)
    assert stray.read_text("utf-8") == "mine"
    if folder == "out":
        assert result.exit_code == 1 and "did not write (nl/3.1/notes.txt)" in result.output
    else:
        assert result.exit_code == 0, result.output
        assert site_tree(out) == fresh(example, tmp_path, "cold")


@pytest.mark.parametrize("rm", ["rm", None])
def test_the_files_a_rebuild_replaces_are_removed_beside_it_and_never_published(
        example: Path, tmp_path: Path, rm: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stale files of the recycled folder go to a trash folder inside it, which
    `rm` removes in a process of its own while the build renders (or the build
    itself, where there is no `rm`); it is gone before the folder is swapped in."""
    out, spare = tmp_path / "out", tmp_path / ".out.previous"
    spawned: list[list[str]] = []
    real_spawn = os.posix_spawn
    monkeypatch.setattr(os, "posix_spawn", lambda path, argv, env: spawned.append(argv)
                        or real_spawn(path, argv, env))
    if rm is None:
        monkeypatch.setattr("sitegen.output.write.shutil.which", lambda name: None)
    for text in ("zeer zorgvuldig", "uiterst zorgvuldig", "heel zorgvuldig"):
        assert build(example, out).exit_code == 0
        edit(example, "versions/3.1/nl.md", "zorgvuldig", text)
    assert build(example, out).exit_code == 0
    trash = [argv for argv in spawned if argv[-1].endswith("/.sitegen-trash")]
    assert (len(trash) >= 2) if rm else not trash
    assert not list(tmp_path.rglob(".sitegen-trash"))
    assert site_tree(out) == fresh(example, tmp_path, "cold")
    assert spare.is_dir()
