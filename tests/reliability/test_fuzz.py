"""Random front matter and random Markdown: sitegen builds, or says which file is wrong.

Every generated site goes through ``load_site`` and ``build_site``. The only
acceptable failure is a ``SitegenError`` whose every problem names a file of the
site; any other exception is a crash a user could trigger with a typo.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sitegen.engine.build import build_site
from sitegen.errors import ContentError, ContentErrors, SitegenError
from sitegen.content.load import load_site

TODAY = dt.date(2026, 1, 1)
SITE_YAML = ("organisation: Example B.V.\nbase_url: https://privacy.example.org/\n"
             "languages: [nl, en]\ntitle:\n  nl: Privacyverklaring\n  en: Privacy statement\n")
FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

# ------------------------------------------------------------------ front matter

WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r"), max_size=25)
KEYS = st.sampled_from(["title", "date", "summary", "draft", "renames", "corrections",
                        "tittle", "Date", "titel", "", "0", "true", "null", "<script>"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=True), st.text(max_size=30),
                    st.dates().map(dt.date.isoformat), st.sampled_from(
                        ["2018-05-25", "25-05-2018", "2018-02-30", "0000-01-01", "9999-12-31",
                         "2018-5-25", " 2018-05-25", "yes", "~", "{}", "[]"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=10)
CORRECTIONS = st.lists(st.fixed_dictionaries(
    {"date": st.one_of(st.dates().map(dt.date.isoformat), SCALARS), "note": SCALARS}), max_size=3)
ANCHOR = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)
RENAMES = st.one_of(st.dictionaries(ANCHOR, ANCHOR, max_size=3), st.dictionaries(
    ANCHOR | st.text(max_size=6), ANCHOR | SCALARS, max_size=3))
YAMLISH = st.text(alphabet=st.sampled_from(list("ab:- \n\t[]{}#&*!|>'\"%@,?`\\\u00e9\u2028\ufeff0")),
                  max_size=80)


@st.composite
def front_matter(draw) -> str:
    """Mostly valid front matter with random damage, or YAML-ish noise."""
    if draw(st.integers(0, 9)) == 0:
        return draw(YAMLISH)
    data: dict = {}
    valid = draw(st.integers(0, 3)) > 0              # mostly: only the extra keys are random
    data["title"] = draw(st.text(min_size=1, max_size=40) if valid else VALUES)
    data["date"] = "2018-05-25" if valid else draw(SCALARS)
    for key in draw(st.lists(KEYS, max_size=3)):
        data[key] = draw({"renames": RENAMES, "corrections": CORRECTIONS, "summary": WORDS,
                          "draft": st.booleans()}.get(key, VALUES))
    return yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False)


# ------------------------------------------------------------------------ Markdown

IDS = st.one_of(st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True),
                st.sampled_from(["main", "toc", "corrections", "art-15", "1x", "a b", "é"]))
ARTICLES = st.one_of(st.sampled_from(["15", "16", "17", "18", "20", "21", "77"]),
                     st.integers(-5, 100).map(str), st.text(max_size=4))
URLS = st.sampled_from(["https://example.org/", "#uw-rechten", "#", "", "mailto:a@b.c",
                        "javascript:alert(1)", "data:text/html,x", "../x", "//evil", "#art-15",
                        "&#106;avascript:x", "<https://a>", "http://[::1", "%zz"])


@st.composite
def block(draw) -> str:
    kind = draw(st.integers(0, 11))
    text = draw(WORDS)
    if kind <= 3:
        attrs = draw(st.lists(st.one_of(IDS.map(lambda i: "#" + i),
                                        ARTICLES.map(lambda a: f"art={a}"),
                                        st.sampled_from([".klasse", "onclick=x", "x"])),
                              max_size=2))
        marker = f" {{{' '.join(attrs)}}}" if attrs else ""
        return f"{'#' * draw(st.integers(1, 7))} {text}{marker}"
    if kind == 4:
        return f"{text}\n{draw(st.sampled_from(['===', '---', '-', '- x']))}"
    if kind == 5:
        return "\n".join(f"{draw(st.sampled_from(['-', '*', '1.', '2)']))} {draw(WORDS)}"
                         for _ in range(draw(st.integers(1, 3))))
    if kind == 6:
        return f"[{text}]({draw(URLS)})"
    if kind == 7:
        return draw(st.sampled_from(["<div>raw</div>", "<script>alert(1)</script>",
                                     "<img src=x onerror=alert(1)>", "<!-- c -->", "</p>",
                                     "<b>open", "&amp; &#0; &#xD800; &bogus;"]))
    if kind == 8:
        return f"```\n{text}\n```" if draw(st.booleans()) else f"```{text}"
    if kind == 9:
        return f"[{text}][r]\n\n[r]: {draw(URLS)}"
    if kind == 10:
        return f"> {text}\n{{: {draw(st.sampled_from(['#main', 'art=15', '.x', 'bad']))} }}"
    return text


MARKDOWN = st.lists(block(), max_size=8).map(lambda blocks: "\n\n".join(blocks) + "\n")


# --------------------------------------------------------------------------- oracle

def judge(root: Path, names: list[str]) -> None:
    """Load and build the site at ``root``: it builds, or fails with the tool's own
    error naming a file; any other exception propagates and fails the test."""
    try:
        build_site(load_site(root), TODAY, drafts=True)
    except ContentErrors as err:
        for problem in err.problems:
            assert_names_a_file(root, problem.path, str(err))
    except ContentError as err:
        assert_names_a_file(root, err.problem.path, str(err))
    except SitegenError as err:
        message = err.format_message()
        assert any(rel in message for rel in [*names, "content/site.yaml"]), \
            f"no file named in: {message}"


def attempt(files: dict[str, str], site_yaml_text: str = SITE_YAML) -> None:
    """Write the site and judge it."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for rel, text in {"content/site.yaml": site_yaml_text, **files}.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, "utf-8")
        judge(root, list(files))


def assert_names_a_file(root: Path, path: str, message: str) -> None:
    assert path and (root / path).exists(), f"problem names no file of the site: {message!r}"


def statement(meta: str, body: str) -> str:
    return f"---\n{meta}---\n\n{body}"


@FUZZ
@given(meta=front_matter(), body=MARKDOWN)
@example(meta="title: '0'\ndate: '2018-05-25'\ndraft: true\n", body="\n")   # found by this test
@example(meta="0", body="\x1f\n---\n")                                    # found by this test
def test_random_front_matter(meta: str, body: str) -> None:
    attempt({"versions/1.0/nl.md": statement(meta, body)})


@FUZZ
@given(first=MARKDOWN, second=MARKDOWN, renames=RENAMES, draft=st.booleans())
def test_random_markdown_in_two_versions(first: str, second: str, renames: dict,
                                         draft: bool) -> None:
    meta = "title: Privacy\ndate: 2018-05-25\n"
    later = yaml.safe_dump({"title": "Privacy", "date": "2020-01-01", "renames": renames,
                            "draft": draft}, allow_unicode=True)
    attempt({"versions/1.0/nl.md": statement(meta, first),
             "versions/1.0/en.md": statement(meta, second),
             "versions/2.0/nl.md": statement(later, second),
             "versions/2.0/en.md": statement(later, first)})


@FUZZ
@given(raw=st.binary(max_size=200))
def test_random_bytes_as_a_statement(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "content").mkdir()
        (root / "content/site.yaml").write_text(SITE_YAML, "utf-8")
        (root / "versions/1.0").mkdir(parents=True)
        (root / "versions/1.0/nl.md").write_bytes(b"---\ntitle: T\ndate: 2018-05-25\n---\n" + raw)
        judge(root, ["versions/1.0/nl.md"])


LANGS = st.sampled_from(["nl", "en", "de", "pt-BR", "en-GB", "zz", "NL", "nl_NL", "", "x" * 4])
GOOD_LANGS = st.lists(st.sampled_from(["nl", "en"]), min_size=1, max_size=2, unique=True)


def mostly(good, bad):
    """``good`` four times in five, else ``bad``: most sites get as far as the build."""
    return st.integers(0, 4).flatmap(lambda n: bad if n == 0 else good)


@st.composite
def site_yaml(draw) -> tuple[str, list]:
    languages = draw(mostly(GOOD_LANGS, st.one_of(st.lists(LANGS, min_size=1, max_size=3),
                                                  VALUES)))
    data = {"organisation": draw(mostly(WORDS, VALUES)),
            "base_url": draw(mostly(st.sampled_from(["https://privacy.example.org/",
                                                     "http://a", "https://x.org/sub/"]),
                                    st.sampled_from(["ftp://x", "https://", "", "x"]))),
            "languages": languages,
            "title": draw(mostly(WORDS.filter(str.strip), st.one_of(st.dictionaries(
                LANGS, WORDS | SCALARS, max_size=3), VALUES)))}
    for key in draw(st.lists(st.sampled_from(["website", "contact_email", "allow_html",
                                              "locales", "website", "extra"]), max_size=2)):
        data[key] = draw(st.dictionaries(LANGS, st.sampled_from(
            ["en_GB", "nl_BE", "xx_YY", "en", "", "de_DE", "en_ZZ"]) | SCALARS, max_size=2)
            if key == "locales" else mostly(WORDS, VALUES))
    return yaml.safe_dump(data, allow_unicode=True), languages


@FUZZ
@given(config=site_yaml(), body=MARKDOWN)
def test_random_site_yaml(config: tuple[str, list], body: str) -> None:
    text, languages = config
    codes = [c for c in languages if isinstance(c, str) and c and "\0" not in c and "/" not in c
             ] if isinstance(languages, list) else []   # names a file can have
    statements = {f"versions/1.0/{code}.md": statement("title: T\ndate: 2018-05-25\n", body)
                  for code in codes or ["nl"]}
    attempt(statements, text)
