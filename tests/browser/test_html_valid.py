"""Every built page is valid HTML according to the Nu HTML Checker (vnu.jar)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.browser.conftest import unavailable
from tests.conftest import REPO

VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_page_is_valid_html(built_site: Path) -> None:
    java = shutil.which("java")
    if java is None:
        unavailable("Java is not installed (needed for the Nu HTML Checker)")
    if not VNU_JAR.is_file():
        unavailable(f"the Nu HTML Checker is not installed ({VNU_JAR} missing; run `npm ci`)")
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= 10, pages
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", str(built_site)],
        capture_output=True, text=True, timeout=300, check=False)
    output = (result.stdout + result.stderr).replace(str(built_site), "<out>")
    assert result.returncode == 0, (
        f"the Nu HTML Checker found errors in {len(pages)} pages "
        f"(exit {result.returncode}):\n{output}")
