"""Words in every script: a redline of Chinese, Japanese or Thai marks the
characters an edit touched, not the clause around them."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.redline.blocks import Block
from sitegen.redline.textdiff import block_diff, word_diff
from sitegen.words import words


def changed(segments) -> list[str]:
    return [s.text for s in segments if s.op != "equal"]


def test_each_character_of_a_script_without_spaces_is_a_word() -> None:
    assert words("Wij bewaren 個人情報を") == ["Wij", "bewaren", "個", "人", "情", "報", "を"]
    assert words("ไม่ขาย") == ["ไ", "ม่", "ข", "า", "ย"]      # a Thai letter with its marks
    assert words("Ваши данные, 데이터 처리") == ["Ваши", "данные", "데이터", "처리"]


def test_a_lost_negation_marks_the_characters_that_changed() -> None:
    """ません -> ます: "we do not sell" becomes "we sell"."""
    segments = word_diff("私たちはお客様の個人情報を第三者に販売しません。",
                         "私たちはお客様の個人情報を第三者に販売します。")
    assert changed(segments) == ["せん", "す"]
    assert "".join(s.text for s in segments if s.op != "insert") == \
        "私たちはお客様の個人情報を第三者に販売しません。"


def test_a_small_edit_in_a_chinese_list_item_marks_words_not_the_item() -> None:
    old = [Block("ul", "我们保存您的姓名和电子邮件地址两年"), Block("ul", "我们不出售您的数据")]
    new = [Block("ul", "我们保存您的姓名和电子邮件地址三年"), Block("ul", "我们不出售您的数据")]
    first = block_diff(old, new)[0]
    assert first.status == "changed" and changed(first.segments) == ["两", "三"]


HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


@settings(max_examples=200, deadline=None)
@given(text=st.text(HAN, min_size=2, max_size=80), at=st.integers(min_value=0),
       replacement=HAN)
def test_one_character_edit_marks_that_character_and_its_neighbours_at_most(
        text: str, at: int, replacement: str) -> None:
    at %= len(text)
    edited = text[:at] + replacement + text[at + 1:]
    segments = word_diff(text, edited)
    assert "".join(s.text for s in segments if s.op != "insert") == text
    assert "".join(s.text for s in segments if s.op != "delete") == edited
    assert all(len(piece) <= 3 for piece in changed(segments))
