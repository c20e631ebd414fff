"""One error format everywhere: `where: error: message` lines, then the count."""
from __future__ import annotations

import pickle

import click
import pytest
from click.testing import CliRunner

from sitegen import cli
from sitegen.errors import ContentError, ContentErrors, Problem, SitegenError
from sitegen.output.place import OutputError


def test_every_error_ends_with_its_count_and_what_did_not_happen() -> None:
    one = SitegenError("port 8000 is in use", "--port")
    one.outcome = "nothing was served"
    assert one.format_message() == ("--port: error: port 8000 is in use\n"
                                    "1 error: nothing was served")
    many = ContentErrors([Problem("b.md", 2, "second"), Problem("a.md", 0, "first")])
    assert many.format_message() == "a.md: error: first\nb.md:2: error: second\n2 errors"
    assert ContentError("nl.md", 3, "bad").format_message() == "nl.md:3: error: bad\n1 error"


def test_errors_cross_process_boundaries_intact() -> None:
    for error in (ContentError("nl.md", 3, "bad"), ContentErrors([Problem("a", 1, "x")]),
                  SitegenError("in use", "--port"), OutputError("refused")):
        again = pickle.loads(pickle.dumps(error))
        assert again.format_message() == error.format_message()


def test_a_bug_is_one_paragraph_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    @cli.main.command("explode")
    def explode() -> None:
        raise KeyError("boom")

    monkeypatch.delenv("SITEGEN_DEBUG", raising=False)
    try:
        result = CliRunner().invoke(cli.main, ["explode"])
        assert result.exit_code == 1
        assert isinstance(result.exception, SystemExit)
        assert result.output.startswith(f"sitegen: error: {cli.INTERNAL}: KeyError: 'boom'. "
                                        "This is a bug in sitegen")
        assert "Traceback" not in result.output
        monkeypatch.setenv("SITEGEN_DEBUG", "1")
        debugged = CliRunner().invoke(cli.main, ["explode"])
        assert isinstance(debugged.exception, KeyError)
    finally:
        cli.main.commands.pop("explode")


def test_a_command_names_what_it_did_not_do(tmp_path) -> None:
    result = CliRunner().invoke(cli.main, ["new", "1.0", "--site", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.endswith("1 error: no version was created\n")
    assert not isinstance(result.exception, click.ClickException)   # printed, not raised


def test_a_wrong_option_is_named_in_the_same_format(tmp_path) -> None:
    result = CliRunner().invoke(cli.main, ["check", "--site", str(tmp_path),
                                           "--today", "2026-02-30"], prog_name="sitegen")
    assert result.exit_code == 2
    assert result.output == ("--today: error: '2026-02-30' does not match the format "
                             "'%Y-%m-%d'. (`sitegen check --help` lists what it takes)\n"
                             "1 error\n")
    missing = CliRunner().invoke(cli.main, ["diff", "3.0", "--site", str(tmp_path)])
    assert missing.output.startswith("NEW: error: Missing argument 'NEW'.")
