"""Every bad input names its file and line, says how to fix it, and the CLI exits 1
with ``file:line:`` and no traceback."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.engine.build import build_site
from sitegen.cli import main
from sitegen.errors import ContentError, ContentErrors, Problem
from sitegen.content.load import MAX_FILE_BYTES, load_document, load_site
from sitegen.engine.memo import Memo
from tests.conftest import SITE_YAML, TODAY, page

NL = page("Privacy", "2018-05-25", "## Inleiding\n\nTekst.")
EN = page("Privacy", "2018-05-25", "## Introduction\n\nText.")


def problems_of(err: ContentError | ContentErrors) -> list[Problem]:
    return list(err.problems) if isinstance(err, ContentErrors) else [err.problem]


def load_problems(root: Path) -> list[Problem]:
    """The problems ``load_site`` raises for the site at ``root``."""
    with pytest.raises((ContentError, ContentErrors)) as info:
        load_site(root)
    return problems_of(info.value)


def build_problems(root: Path) -> list[Problem]:
    """The problems the pure build raises for a site that loads."""
    with pytest.raises(ContentErrors) as info:
        build_site(load_site(root), TODAY)
    return problems_of(info.value)


def the_problem(problems: list[Problem], path: str) -> Problem:
    found = [p for p in problems if p.path == path and p.severity == "error"]
    assert found, f"no error for {path} in {problems}"
    return found[0]


def body_problem(make_site, body: str) -> tuple[Path, Problem]:
    """A site whose Dutch statement has ``body``, and the build's error for that file."""
    root = make_site({"versions/1.0/nl.md": page("Privacy", "2018-05-25", body),
                      "versions/1.0/en.md": EN})
    return root, the_problem(build_problems(root), "versions/1.0/nl.md")


def assert_cli_fails(root: Path, where: str) -> None:
    """`sitegen check` and `sitegen build` exit 1, show ``where`` and no traceback."""
    runner = CliRunner()
    for args in (["check"], ["build", "--out", str(root.parent / "public")]):
        result = runner.invoke(main, [*args, "--site", str(root), "--today", "2026-11-28"])
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output
        assert where in result.output, result.output
    assert not (root.parent / "public").exists()


# --- front matter -------------------------------------------------------------------


def test_malformed_yaml_names_the_line_of_the_yaml_error(make_site) -> None:
    text = "---\ntitle: Privacy\nsummary: a: b\ndate: 2018-05-25\n---\n\n## A\n"
    root = make_site({"versions/1.0/nl.md": text, "versions/1.0/en.md": EN})
    problem = the_problem(load_problems(root), "versions/1.0/nl.md")
    assert problem.line == 3 and "invalid YAML" in problem.message
    assert_cli_fails(root, "versions/1.0/nl.md:3:")


def test_missing_front_matter(make_site) -> None:
    root = make_site({"versions/1.0/nl.md": "## Inleiding\n\nTekst.\n", "versions/1.0/en.md": EN})
    problem = the_problem(load_problems(root), "versions/1.0/nl.md")
    assert problem.line == 1 and "no front matter" in problem.message
    assert "---" in problem.message
    assert_cli_fails(root, "versions/1.0/nl.md:1:")


def test_unclosed_front_matter(make_site) -> None:
    text = "---\ntitle: Privacy\ndate: 2018-05-25\n\n## Inleiding\n"
    root = make_site({"versions/1.0/nl.md": text, "versions/1.0/en.md": EN})
    problem = the_problem(load_problems(root), "versions/1.0/nl.md")
    assert problem.line == 1 and "never closed" in problem.message
    assert_cli_fails(root, "versions/1.0/nl.md:1:")


def test_misspelt_key_suggests_the_right_one(make_site) -> None:
    text = "---\ntittle: Privacy\ndate: 2018-05-25\n---\n\n## A\n"
    root = make_site({"versions/1.0/nl.md": text, "versions/1.0/en.md": EN})
    problems = load_problems(root)
    unknown = [p for p in problems if "tittle" in p.message]
    assert len(unknown) == 1
    assert unknown[0].path == "versions/1.0/nl.md" and unknown[0].line == 2
    assert "did you mean title?" in unknown[0].message
    assert_cli_fails(root, "versions/1.0/nl.md:2:")


@pytest.mark.parametrize("bad", ["yesterday", "25-05-2018", "2018-02-30"])
def test_a_bad_date_names_the_date_line(make_site, bad: str) -> None:
    """Not a date, not ISO, impossible: each points at the `date:` line."""
    text = page("Privacy", bad, "## A", extra="summary: Iets.\n")
    root = make_site({"versions/1.0/nl.md": text, "versions/1.0/en.md": EN})
    problem = the_problem(load_problems(root), "versions/1.0/nl.md")
    assert problem.line == 3
    assert bad in problem.message and "YYYY-MM-DD" in problem.message
    assert_cli_fails(root, "versions/1.0/nl.md:3:")


def test_crlf_file_still_gets_the_right_line(make_site) -> None:
    text = page("Privacy", "yesterday", "## A").replace("\n", "\r\n")
    root = make_site({"versions/1.0/nl.md": text, "versions/1.0/en.md": EN})
    assert the_problem(load_problems(root), "versions/1.0/nl.md").line == 3


def test_languages_of_one_version_with_different_dates_name_both_files(make_site) -> None:
    en = page("Privacy", "2018-05-26", "## Introduction")
    root = make_site({"versions/1.0/nl.md": NL, "versions/1.0/en.md": en})
    problems = load_problems(root)
    assert len(problems) == 1
    text = str(problems[0])
    assert "versions/1.0/en.md:3" in text and "versions/1.0/nl.md:3" in text
    assert "2018-05-26" in text and "2018-05-25" in text
    assert_cli_fails(root, "versions/1.0/en.md:3:")


# --- site layout ----------------------------------------------------------------------


def test_undeclared_language_file(make_site) -> None:
    root = make_site({"versions/1.0/nl.md": NL, "versions/1.0/de.md": NL})
    problem = the_problem(load_problems(root), "versions/1.0/de.md")
    assert "`de`" in problem.message and "content/site.yaml" in problem.message
    assert_cli_fails(root, "versions/1.0/de.md:")


@pytest.mark.parametrize("code", ["English", "xx"])
def test_invalid_language_code_in_site_yaml(make_site, code: str) -> None:
    root = make_site({"versions/1.0/nl.md": NL}, SITE_YAML.replace("[nl, en]", f"[nl, {code}]"))
    problem = the_problem(load_problems(root), "content/site.yaml")
    assert problem.line == 3 and code in problem.message
    assert_cli_fails(root, "content/site.yaml:3:")


@pytest.mark.parametrize("folder", ["latest", "a b"])
def test_version_folder_not_named_like_a_version(make_site, folder: str) -> None:
    root = make_site({"versions/1.0/nl.md": NL, "versions/1.0/en.md": EN,
                      f"versions/{folder}/nl.md": NL})
    problem = the_problem(load_problems(root), f"versions/{folder}")
    assert "not a version id" in problem.message and "3.1" in problem.message
    assert_cli_fails(root, f"versions/{folder}:")


def test_same_version_in_two_spellings(make_site) -> None:
    root = make_site({"versions/3.1/nl.md": NL, "versions/03.1/nl.md": NL})
    problems = load_problems(root)
    assert len(problems) == 1
    assert "versions/3.1" in str(problems[0]) and "versions/03.1" in str(problems[0])
    assert_cli_fails(root, "versions/03.1")


def test_file_that_is_not_utf8_names_the_line_of_the_bad_byte(make_site) -> None:
    root = make_site({"versions/1.0/en.md": EN})
    text = page("Privacy", "2018-05-25", "## Inleiding\n\nCaf\xe9 en meer.")
    (root / "versions/1.0/nl.md").write_bytes(text.encode("latin-1"))
    problem = the_problem(load_problems(root), "versions/1.0/nl.md")
    assert problem.line == 8 and "UTF-8" in problem.message
    assert_cli_fails(root, "versions/1.0/nl.md:8:")


def test_empty_file(make_site) -> None:
    root = make_site({"versions/1.0/nl.md": "", "versions/1.0/en.md": EN})
    problem = the_problem(load_problems(root), "versions/1.0/nl.md")
    assert "empty" in problem.message
    assert_cli_fails(root, "versions/1.0/nl.md:")


def test_file_over_the_size_limit(make_site) -> None:
    body = "## A\n\n" + ("Tekst. " * (MAX_FILE_BYTES // 7 + 10))
    root = make_site({"versions/1.0/nl.md": page("Privacy", "2018-05-25", body),
                      "versions/1.0/en.md": EN})
    problem = the_problem(load_problems(root), "versions/1.0/nl.md")
    assert "MB" in problem.message and "limit" in problem.message
    assert_cli_fails(root, "versions/1.0/nl.md:")


def test_site_yaml_missing(make_site) -> None:
    root = make_site({"versions/1.0/nl.md": NL})
    (root / "content/site.yaml").unlink()
    problem = the_problem(load_problems(root), "content/site.yaml")
    assert "--site" in problem.message
    assert_cli_fails(root, "content/site.yaml")


def test_bad_base_url(make_site) -> None:
    site_yaml = SITE_YAML.replace("https://privacy.example.org/", "privacy.example.org")
    root = make_site({"versions/1.0/nl.md": NL, "versions/1.0/en.md": EN}, site_yaml)
    problem = the_problem(load_problems(root), "content/site.yaml")
    assert problem.line == 2 and "base_url" in problem.message
    assert_cli_fails(root, "content/site.yaml:2:")


# --- the Markdown body ----------------------------------------------------------------


def test_two_headings_with_the_same_manual_id_name_the_second(make_site) -> None:
    body = "## Eerste {#x}\n\nTekst.\n\n## Tweede {#x}\n\nMeer."
    root, problem = body_problem(make_site, body)
    assert problem.line == 10 and "#x" in problem.message
    assert_cli_fails(root, "versions/1.0/nl.md:10:")


def test_duplicate_id_line_is_right_when_a_setext_heading_comes_first(make_site) -> None:
    """`Title` underlined with `=====` is a heading too; lines must still match."""
    body = "Inleiding\n=========\n\nTekst.\n\n## Eerste {#x}\n\nTekst.\n\n## Tweede {#x}\n"
    _, problem = body_problem(make_site, body)
    assert problem.line == 15, str(problem)


def test_an_article_used_twice(make_site) -> None:
    body = "## Rechten\n\n### Inzage {art=15}\n\nTekst.\n\n### Correctie {art=15}\n\nTekst."
    root, problem = body_problem(make_site, body)
    assert problem.line == 12 and "art=15" in problem.message
    assert_cli_fails(root, "versions/1.0/nl.md:12:")


def test_javascript_link_is_refused(make_site) -> None:
    body = "## A\n\nZie [dit](javascript:alert(1)) maar."
    root, problem = body_problem(make_site, body)
    assert problem.line == 8 and "javascript:" in problem.message
    assert_cli_fails(root, "versions/1.0/nl.md:8:")


def test_raw_html_is_shown_as_text_by_default(make_site, tmp_path: Path) -> None:
    body = "## A\n\n<script>alert(1)</script>\n\nInline <script>steal()</script> too."
    root = make_site({"versions/1.0/nl.md": page("Privacy", "2018-05-25", body),
                      "versions/1.0/en.md": EN})
    out = tmp_path / "public"
    result = CliRunner().invoke(main, ["build", "--site", str(root), "--out", str(out),
                                       "--today", "2026-11-28"])
    assert result.exit_code == 0, result.output
    html = (out / "nl/1.0/index.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;steal()" in html
    assert re.findall(r"<script[^>]*>", html) == ['<script src="../../assets/site.js" defer>']


# --- all at once ----------------------------------------------------------------------


def test_errors_of_several_files_are_reported_together(make_site) -> None:
    root = make_site({
        "versions/1.0/nl.md": page("Privacy", "yesterday", "## A"),
        "versions/1.0/en.md": "---\ntittle: Privacy\ndate: 2018-05-25\n---\n\n## A\n",
        "versions/2.0/nl.md": "## Geen front matter\n",
    })
    problems = load_problems(root)
    paths = {p.path for p in problems}
    assert {"versions/1.0/nl.md", "versions/1.0/en.md", "versions/2.0/nl.md"} <= paths
    result = CliRunner().invoke(main, ["check", "--site", str(root)])
    assert result.exit_code == 1
    for where in ("versions/1.0/nl.md:3:", "versions/1.0/en.md:2:", "versions/2.0/nl.md:1:"):
        assert where in result.output


def test_body_errors_of_several_files_are_reported_together(make_site) -> None:
    twice = "## A {#x}\n\nTekst.\n\n## B {#x}\n"
    root = make_site({
        "versions/1.0/nl.md": page("Privacy", "2018-05-25", twice),
        "versions/1.0/en.md": page("Privacy", "2018-05-25", "[x](javascript:go())\n\n## A"),
    })
    paths = {p.path for p in build_problems(root)}
    assert paths == {"versions/1.0/nl.md", "versions/1.0/en.md"}


# Statements kept from the last build -------------------------------------------------

def kept_statement(tmp_path: Path) -> tuple[Path, str, Memo]:
    """A statement loaded by a build whose memo was saved, and that memo loaded again."""
    path = tmp_path / "versions" / "1.0" / "nl.md"
    path.parent.mkdir(parents=True)
    path.write_text(NL, "utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    memo = Memo()
    load_document(path, "versions/1.0/nl.md", "nl", memo.reuse, {str(path): path.read_bytes()},
                  {str(path): digest})
    memo.save(tmp_path / "memo", "code")
    kept = Memo()
    kept.load(tmp_path / "memo", "code")
    return path, digest, kept


def test_a_statement_unchanged_since_the_last_build_is_not_read_again(tmp_path: Path) -> None:
    path, digest, memo = kept_statement(tmp_path)
    text = path.read_text("utf-8")
    path.unlink()                                  # only what was kept can answer now
    doc = load_document(path, "versions/1.0/nl.md", "nl", memo.reuse, {}, {str(path): digest})
    assert doc.text == text and doc.title == "Privacy" and doc.digest == digest


def test_a_statement_changed_while_the_site_is_built_is_refused(tmp_path: Path) -> None:
    path, digest, _ = kept_statement(tmp_path)
    path.write_text(NL.replace("Tekst.", "Andere tekst."), "utf-8")   # after its digest was taken
    with pytest.raises(ContentError) as info:
        load_document(path, "versions/1.0/nl.md", "nl", Memo().reuse, {}, {str(path): digest})
    assert info.value.problem.path == "versions/1.0/nl.md"
    assert "changed while the site was being built: build again" in info.value.problem.message


@pytest.mark.parametrize(("extra", "said"), [
    ("removed: 5\n", "`removed` lists the anchor ids of removed sections"),
    ("removed:\n  newsletter: [a, b]\n", "`removed` lists the anchor ids of removed sections"),
    ("rights_notes:\n  erasure: Now easier.\n", "`rights_notes` maps the article number"),
])
def test_a_malformed_removed_or_rights_notes_names_its_line(make_site, extra: str,
                                                             said: str) -> None:
    text = page("Privacy", "2018-05-25", "## A", extra=extra)
    root = make_site({"versions/1.0/nl.md": text, "versions/1.0/en.md": EN})
    problem = the_problem(load_problems(root), "versions/1.0/nl.md")
    assert problem.line == 4 and said in problem.message
    assert_cli_fails(root, "versions/1.0/nl.md:4:")
