"""Results kept between builds: .sitegen-cache/memo.pickle and its journal."""
from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitegen.content.load import load_document
from sitegen.engine.memo import Memo
from sitegen.engine.packed import AGE

CODE = "code-1"


def run(cache: Path, keys: list[str], code: str = CODE, packed: list[str] = ()
        ) -> tuple[Memo, list[str]]:
    """One build: load, ask for ``keys`` (durable) and ``packed`` ones, save; and
    which were computed."""
    memo, computed = Memo(), []
    memo.load(cache, code)
    for key in [*keys, *packed]:
        memo.get(("step", key), lambda key=key: computed.append(key) or key.upper(), durable=True,
                 packed=key in packed)
    memo.save(cache, code)
    return memo, computed


def journal(cache: Path) -> Path:
    return cache.with_name(cache.name + ".journal")


def test_a_build_that_adds_a_little_appends_to_the_journal(tmp_path: Path) -> None:
    cache = tmp_path / "memo.pickle"
    keys = [f"k{i}" for i in range(20)]
    assert run(cache, keys)[1] == keys                      # cold: all computed
    base = cache.read_bytes()
    assert run(cache, keys + ["new"])[1] == ["new"]
    assert cache.read_bytes() == base and journal(cache).is_file()
    memo, computed = run(cache, keys + ["new"])
    assert computed == []                                   # base and journal, both read
    assert memo.get(("step", "new"), lambda: "wrong", durable=True) == "NEW"


def test_a_cut_off_journal_is_read_up_to_the_cut_then_rewritten(tmp_path: Path) -> None:
    cache = tmp_path / "memo.pickle"
    keys = [f"k{i}" for i in range(20)]
    run(cache, keys)
    run(cache, keys + ["a"])
    record = pickle.dumps((CODE, {"x": "y" * 100}), protocol=pickle.HIGHEST_PROTOCOL)
    with journal(cache).open("ab") as handle:
        handle.write(record[: len(record) // 2])             # a killed build
    assert run(cache, keys + ["a", "b"])[1] == ["b"]         # "a" still read
    assert not journal(cache).exists()                       # rewritten whole
    assert run(cache, keys + ["a", "b"])[1] == []


def test_results_no_longer_used_are_dropped_by_a_rewrite(tmp_path: Path) -> None:
    cache = tmp_path / "memo.pickle"
    run(cache, [f"old{i}" for i in range(10)])
    run(cache, [f"new{i}" for i in range(10)])               # none of the old ones used
    assert run(cache, [f"old{i}" for i in range(3)])[1] == ["old0", "old1", "old2"]


def test_packed_results_are_kept_and_read_back_when_asked_for(tmp_path: Path) -> None:
    cache = tmp_path / "memo.pickle"
    plain = [f"k{i}" for i in range(8)]
    packed = [f"p{i}" for i in range(30)]
    assert run(cache, plain, packed=packed)[1] == plain + packed
    memo, computed = run(cache, plain, packed=packed[:5])
    assert computed == []
    assert [memo.get(("step", k), lambda: "wrong", durable=True, packed=True)
            for k in packed[:5]] == [k.upper() for k in packed[:5]]
    assert run(cache, plain, packed=[*packed, "new"])[1] == ["new"]       # journal, then file


def test_an_unused_packed_result_is_kept_through_some_rewrites_then_dropped(
        tmp_path: Path) -> None:
    """A build uses the section diffs of the pages it renders; those of other
    pages are still wanted later, but not for ever."""
    cache = tmp_path / "memo.pickle"
    run(cache, ["a"], packed=["old", "used"])
    for number in range(AGE):
        run(cache, [f"rewrite{number}"], packed=["used"])    # all plain results new: rewritten
        assert not journal(cache).exists()
    assert run(cache, ["x"], packed=["old", "used"])[1] == ["x"]      # kept
    for number in range(AGE + 1):
        run(cache, [f"again{number}"], packed=["used"])
    assert run(cache, ["y"], packed=["old", "used"])[1] == ["y", "old"]    # dropped


def test_packed_results_a_worker_made_are_kept(tmp_path: Path) -> None:
    cache = tmp_path / "memo.pickle"
    parent = Memo()
    parent.mark()
    worker = pickle.loads(pickle.dumps(parent))
    worker.get(("step", "w"), lambda: "made in a worker", durable=True, packed=True)
    parent.absorb(pickle.loads(pickle.dumps(worker.new_durable())))   # as sent back
    parent.save(cache, CODE)
    memo = Memo()
    memo.load(cache, CODE)
    assert memo.get(("step", "w"), lambda: "wrong", durable=True, packed=True) == "made in a worker"


def test_a_worker_of_a_build_from_scratch_keeps_its_results_in_a_part_of_its_own(
        tmp_path: Path) -> None:
    cache = tmp_path / "memo.pickle"
    parent = Memo()
    parent.load(cache, CODE)                                  # none yet: cold
    parent.get(("step", "mine"), lambda: "MINE", durable=True)
    parent.mark()
    worker = pickle.loads(pickle.dumps(parent))               # as forked
    worker.get(("step", "w"), lambda: "W", durable=True)
    worker.get(("step", "wp"), lambda: "WP", durable=True, packed=True)
    sent = worker.keep_apart()
    assert isinstance(sent, str) and (tmp_path / sent).is_file()
    parent.absorb(sent)
    parent.save(cache, CODE)
    assert (tmp_path / sent).is_file()                        # written by the worker: kept
    assert run(cache, ["mine", "w"], packed=["wp"])[1] == []  # read from the file and the part
    assert (tmp_path / sent).is_file()                        # all used: nothing rewritten
    run(cache, [f"new{i}" for i in range(9)])                 # most unused: rewritten whole
    assert not (tmp_path / sent).exists()                     # merged into the file
    assert run(cache, ["w"], packed=["wp"])[1] == ["w"]       # unused, plain: dropped
    assert run(cache, [], packed=["wp"])[1] == []             # unused, packed: kept a while


def test_a_part_made_by_other_code_is_not_read_and_goes_with_the_next_rewrite(
        tmp_path: Path) -> None:
    cache = tmp_path / "memo.pickle"
    other = Memo()
    other.load(cache, "other code")
    other.mark()
    other.get(("step", "a"), lambda: "stale", durable=True)
    part = tmp_path / other.keep_apart()
    memo, computed = run(cache, ["a"])
    assert computed == ["a"] and memo.get(("step", "a"), lambda: "?", durable=True) == "A"
    assert not part.exists()


@dataclass(frozen=True)
class Pair:
    first: str
    second: str


@pytest.mark.parametrize("make", [lambda a, b: ("pair", a, b),                 # marshalled
                                  lambda a, b: ("pair", Pair(a, b), dt.date(2018, 5, 25))])
def test_a_key_made_of_other_but_equal_texts_finds_the_kept_result(make, tmp_path: Path
                                                                    ) -> None:
    """A key made of texts read back from the file (one object where it was two
    equal ones when computed, or the other way round) names the same result."""
    cache = tmp_path / "memo.pickle"
    text = "uw-rechten"
    other = "".join(["uw-", "rechten"])             # equal, not the same object
    assert other == text and other is not text
    first, computed = Memo(), []
    first.load(cache, CODE)
    first.get(make(text, text), lambda: computed.append(1) or "made", durable=True)
    first.save(cache, CODE)
    second = Memo()
    second.load(cache, CODE)
    assert second.get(make(text, other), lambda: computed.append(2) or "again",
                      durable=True) == "made"
    assert computed == [1]


def test_a_result_made_as_not_durable_is_kept_once_asked_for_as_durable(
        tmp_path: Path) -> None:
    """One step needs a result for itself alone, another wants it kept: it is kept."""
    cache = tmp_path / "memo.pickle"
    first = Memo()
    first.load(cache, CODE)
    assert first.get(("chunk", "a"), lambda: "A") == "A"
    assert first.get(("chunk", "a"), lambda: pytest.fail("made twice"), durable=True,
                     packed=True) == "A"
    first.save(cache, CODE)
    second = Memo()
    second.load(cache, CODE)
    assert second.get(("chunk", "a"), lambda: pytest.fail("not kept"), durable=True) == "A"


def test_other_code_starts_cold(tmp_path: Path) -> None:
    cache = tmp_path / "memo.pickle"
    run(cache, ["a", "b"])
    assert run(cache, ["a", "b"], code="code-2")[1] == ["a", "b"]
    assert not journal(cache).exists()


def test_only_results_loaded_from_an_earlier_build_make_a_memo_warm(tmp_path: Path) -> None:
    """A cold build converts in worker processes; results it computed itself
    (such as parsed front matter) must not make it think it is warm."""
    cache = tmp_path / "memo.pickle"
    memo, _ = run(cache, ["a", "b"])
    assert not memo.warm
    memo = Memo()
    memo.load(cache, CODE)
    assert memo.warm
    memo.load(tmp_path / "missing.pickle", CODE)
    assert not memo.warm


def test_a_scope_forgets_what_was_computed_inside_and_keeps_the_rest(tmp_path: Path) -> None:
    memo, calls = Memo(), []

    def compute(name: str):
        return lambda: calls.append(name) or name.upper()

    memo.get("before", compute("before"))
    with memo.scope():
        assert memo.get("before", compute("before")) == "BEFORE"
        memo.get("inside", compute("inside"))
        memo.get("kept", compute("kept"), durable=True)
    memo.get("before", compute("before"))
    memo.get("inside", compute("inside"))
    assert calls == ["before", "inside", "kept", "inside"]
    memo.save(tmp_path / "memo.pickle", "v1")
    later = Memo()
    later.load(tmp_path / "memo.pickle", "v1")
    assert later.get("kept", compute("again"), durable=True) == "KEPT"


def test_a_sweeping_memo_keeps_what_a_scope_computed() -> None:
    memo, calls = Memo(sweeping=True), []
    with memo.scope():
        memo.get("inside", lambda: calls.append(1) or 1)
    memo.get("inside", lambda: calls.append(2) or 2)
    assert calls == [1]


def test_a_sweeping_memo_forgets_the_kept_results_a_build_did_not_use() -> None:
    """``sitegen serve`` rebuilds for hours: what every edit made must not pile up."""
    memo, calls = Memo(sweeping=True), []
    for build in range(3):
        memo.get(("diff", build), lambda: calls.append(build) or build, durable=True, packed=True)
        memo.get(("name", "nl"), lambda: calls.append("nl") or "Nederlands", durable=True)
        memo.sweep()
    assert calls == [0, "nl", 1, 2]                 # the name still found, not made again
    assert len(memo.new_durable()[0]) == 1          # of the diffs, only the last build's


def test_a_kept_result_keeps_what_it_was_made_from(tmp_path: Path) -> None:
    """The inner result is not asked for while the outer one is found whole, yet it
    is still kept: it is there when the outer one has to be made again."""
    cache = tmp_path / "memo.pickle"
    made: list[str] = []

    def build(outer: str, others: list[str]) -> None:
        memo = Memo()
        memo.load(cache, CODE)
        for key in others:
            memo.get(("other", key), lambda: key, durable=True)
        memo.get(("outer", outer), lambda: made.append(outer) or memo.get(
            ("inner",), lambda: made.append("inner") or "parsed", durable=True) + outer,
            durable=True)
        memo.save(cache, CODE)

    build("a", [])
    assert made == ["a", "inner"]
    for round_ in range(3):                     # rewrites drop whatever a build did not use
        build("a", [f"x{round_}-{i}" for i in range(10)])
    assert made == ["a", "inner"]
    build("b", [])
    assert made == ["a", "inner", "b"]          # the inner result was still kept


def test_a_kept_body_and_statement_come_back_equal(tmp_path: Path) -> None:
    """The model is plain data: what a build keeps, the next reads back equal,
    texts, headings and digests included."""
    from sitegen.content.load import parse_document
    from sitegen.markdown.markup import convert
    doc = parse_document("---\ntitle: T\ndate: 2020-01-02\n---\n## Kop é {art=15}\n\n“x”\n",
                         "versions/1.0/nl.md", "1.0", "nl")
    body = convert(doc.body, doc.path, doc.body_line, {"rights_nav": "Rechten",
                                                        "self_link": "Link naar {title}"})
    memo = Memo()
    memo.reuse("statement", ("doc",), lambda: doc)
    memo.reuse("statement html", ("body",), lambda: body)
    memo.save(tmp_path / "memo", CODE)
    kept = Memo()
    kept.load(tmp_path / "memo", CODE)
    assert kept.reuse("statement", ("doc",), lambda: pytest.fail("not kept")) == doc
    kept_body = kept.reuse("statement html", ("body",), lambda: pytest.fail("not kept"))
    assert kept_body == body and kept_body.digest == body.digest and kept_body.html == body.html


def test_the_bodies_of_versions_are_kept_sharing_what_they_share(tmp_path: Path) -> None:
    """Versions differ by a few sentences: kept together, their bodies take little
    more room than one, and come back with the same HTML."""
    from sitegen.markdown.markup import convert
    sections = [f"## Kop {n}\n\n" + " ".join(["Wij bewaren uw gegevens."] * 40)
                for n in range(20)]
    reuse = Memo().reuse                         # one build: chunks made once
    labels = {"rights_nav": "Rechten", "self_link": "Link naar {title}"}
    bodies = []
    for version in range(10):
        text = sections[:version] + [sections[version] + " Nieuw."] + sections[version + 1:]
        bodies.append(convert("\n\n".join(text), "versions/1.0/nl.md", 1, labels,
                              reuse=reuse))
    one = len(pickle.dumps(bodies[0], protocol=5))
    together = pickle.dumps(bodies, protocol=5)
    assert len(together) < 3 * one
    back = pickle.loads(together)
    assert back == bodies and [b.html for b in back] == [b.html for b in bodies]


def test_a_memo_file_cut_short_or_damaged_is_an_empty_cache(tmp_path: Path) -> None:
    """Whatever a full disk, a killed build or another format left, a build reads
    what it can (nothing here) and computes the rest; it never fails on it."""
    from sitegen.markdown.markup import Body
    cache = tmp_path / "memo.pickle"
    bodies = {f"b{i}": Body(f"<p>tekst {i} {'x' * 500}</p>", (), frozenset(), {}, (), f"d{i}")
              for i in range(3)}
    memo = Memo()
    memo.load(cache, CODE)
    for name, body in bodies.items():
        memo.get(("body", name), lambda body=body: body, durable=True)
    memo.get(("step", "p"), lambda: "P", durable=True, packed=True)
    memo.save(cache, CODE)
    whole = cache.read_bytes()
    again = Memo()
    again.load(cache, CODE)
    assert again.get(("body", "b1"), lambda: pytest.fail("not kept"), durable=True).html \
        == bodies["b1"].html
    for damaged in (whole[:8], whole[:len(whole) // 2], whole[:-3], whole[:8] + b"\xff" * 64,
                    whole + b"more"):
        cache.write_bytes(damaged)
        memo, computed = Memo(), []
        memo.load(cache, CODE)
        assert memo.get(("body", "b1"), lambda: computed.append(1) or "made", durable=True) \
            == "made" and computed == [1]


def test_a_file_of_other_code_is_passed_over_unread(tmp_path: Path) -> None:
    """What another version of sitegen kept may name classes this one does not
    have: it is not unpickled at all, and not reported (an upgrade starts cold)."""
    from sitegen.engine import cachefile
    cache = tmp_path / "memo.pickle"
    cachefile.write_kept(cache, "other-code", ({}, {}, b"", b""))
    data = cache.read_bytes().replace(b"builtins", b"nomodule")   # would not unpickle
    cache.write_bytes(data)
    memo = Memo()
    memo.load(cache, CODE)
    assert not memo.warm and memo.damaged == []


@pytest.mark.parametrize("where", ["memo", "journal"])
def test_a_changed_byte_is_found_before_unpickling_and_reported(tmp_path: Path, where: str
                                                                ) -> None:
    """A file changed since it was written (by hand, by a faulty disk) is refused
    whole, named in ``damaged``, and rewritten by the next save."""
    cache = tmp_path / "memo.pickle"
    run(cache, ["a", "b", "c", "d", "e"])
    run(cache, ["a", "b", "c", "d", "e", "f"])               # appends "f" to the journal
    target = journal(cache) if where == "journal" else cache
    data = bytearray(target.read_bytes())
    data[-5] ^= 0xFF                                         # a byte of the pickle
    target.write_bytes(bytes(data))
    memo, computed = run(cache, ["a", "f"])
    assert memo.damaged and memo.damaged[0].startswith(target.name)
    assert "f" in computed and (where == "journal" or "a" in computed)
    memo, computed = run(cache, ["a", "f"])                  # rewritten: read whole again
    assert memo.damaged == [] and computed == []


def test_every_kind_the_stages_ask_for_has_a_policy() -> None:
    """A kind that a step names in ``reuse(kind, ...)`` and the engine does not
    know would fail a build; each is listed in ``engine.policy`` (and no other)."""
    import ast
    from sitegen.engine.policy import POLICY
    package = Path(__file__).resolve().parents[2] / "sitegen"
    asked = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                    and getattr(node.func, "id", getattr(node.func, "attr", "")) == "reuse":
                asked.add(node.args[0].value)
    kinds = {"chunk", "chunk of an open version", "section diff",
             "section diff against the current version"}     # named through a variable
    assert asked | kinds == set(POLICY)


@pytest.mark.parametrize("raw", [
    b"---\ntitle: Privacyverklaring\ndate: 2018-05-25\n---\n## Inleiding\n\nTekst.\n",
    b"\xef\xbb\xbf---\r\ntitle: Privacyverklaring\r\ndate: 2018-05-25\r\n---\r\nTekst.\r\n",
    b"---\ntitle: Privacyverklaring\ndate: 2018-05-25\n---\n",
])
def test_a_statement_kept_in_the_memo_file_reads_back_whole(tmp_path: Path, raw: bytes) -> None:
    """A statement is kept with its body as the end of its text, where it is one."""
    path = tmp_path / "nl.md"
    path.write_bytes(raw)
    doc = load_document(path, "versions/1.0/nl.md", "nl")
    back = pickle.loads(pickle.dumps(doc, pickle.HIGHEST_PROTOCOL))
    assert back == doc and type(back.body) is str
    assert back.body == doc.body and back.text == doc.text
