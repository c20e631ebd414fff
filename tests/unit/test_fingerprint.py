"""The fingerprint that decides whether anything must be built again."""
from __future__ import annotations

from pathlib import Path

import jinja2
import markdown
import pytest

from sitegen import fingerprint as fp


def test_the_rendering_libraries_installed_are_named_with_their_versions() -> None:
    names = [name.lower() for name in fp.libraries()]
    assert f"markdown-{markdown.__version__}.dist-info" in names
    assert f"jinja2-{jinja2.__version__}.dist-info" in names


def test_another_version_of_a_library_gives_another_fingerprint(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages and kept results made with Markdown 3.x are not reused with 4.x."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "site.yaml").write_text("languages: [nl]\n", "utf-8")
    before = fp.fingerprint(tmp_path, ["1.0"])
    assert fp.fingerprint(tmp_path, ["1.0"]) == before
    installed = fp.libraries()
    monkeypatch.setattr(fp, "libraries", lambda: [
        "markdown-99.0.dist-info" if name.lower().startswith("markdown-") else name
        for name in installed])
    assert fp.fingerprint(tmp_path, ["1.0"]) != before
