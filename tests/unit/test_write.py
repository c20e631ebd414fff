"""Taking over the unchanged files of the previous build."""
from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.output.write import _take_over


def test_an_unchanged_file_is_linked_into_a_folder_made_for_it(tmp_path: Path) -> None:
    (tmp_path / "live.html").write_text("x", "utf-8")
    _take_over(tmp_path / "live.html", tmp_path / "new" / "nl" / "index.html")
    target = tmp_path / "new" / "nl" / "index.html"
    assert target.read_text("utf-8") == "x"
    assert target.stat().st_ino == (tmp_path / "live.html").stat().st_ino


@pytest.mark.parametrize("folder", ["exists", "missing"])
def test_a_file_of_the_previous_build_that_is_gone_is_an_error(tmp_path: Path,
                                                               folder: str) -> None:
    """(Removed while the build ran: the build stops with an error, never loops.)"""
    (tmp_path / "exists").mkdir()
    with pytest.raises(FileNotFoundError):
        _take_over(tmp_path / "gone.html", tmp_path / folder / "index.html")
