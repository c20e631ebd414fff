"""sitegen's own escaping writes what markupsafe's writes."""
from __future__ import annotations

import markupsafe
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.markdown.escaping import escape


@given(st.text(alphabet=st.sampled_from("ab &<>'\"é\u00a0;#x\n")) | st.text())
@settings(max_examples=500, deadline=None)
def test_text_is_escaped_as_markupsafe_escapes_it(text: str) -> None:
    assert escape(text) == str(markupsafe.escape(text))
    assert type(escape(text)) is str


def test_html_stays_as_it_is_and_other_values_become_text() -> None:
    assert escape(markupsafe.Markup("<b>x</b>")) == "<b>x</b>"
    assert escape(15) == "15" and escape(None) == "None"
    assert escape("\"O'Neil\" & <Co>") == "&#34;O&#39;Neil&#34; &amp; &lt;Co&gt;"
