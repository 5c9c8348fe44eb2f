"""One home for "is this Thai?" (``toolkit.languages``): the block, the letters, any, all."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from toolkit.languages import all_thai, has_thai, is_thai_char, is_thai_letter

TOOLKIT = Path(__file__).resolve().parents[1] / "toolkit"


@given(st.characters())
def test_a_character_is_thai_exactly_in_the_thai_block(ch):
    assert is_thai_char(ch) == (0x0E00 <= ord(ch) <= 0x0E7F)
    assert is_thai_letter(ch) == (0x0E01 <= ord(ch) <= 0x0E4E)
    assert not is_thai_letter(ch) or is_thai_char(ch)


@given(st.text())
def test_any_and_all(text):
    assert has_thai(text) == any(is_thai_char(c) for c in text)
    assert all_thai(text) == all(is_thai_char(c) for c in text)


def test_known_characters():
    assert has_thai("กรุงเทพฯ") and all_thai("กรุงเทพฯ") and is_thai_char("๒") and not is_thai_letter("๒")
    assert not has_thai("Bangkok 2024") and not all_thai("กรุง เทพ")


def test_no_module_spells_the_thai_block_again():
    """A comparison against U+0E00/U+0E7F/U+0E01/U+0E4E lives in toolkit/languages.py only."""
    bounds = {"\u0e00", "\u0e7f", "\u0e01", "\u0e4e"}
    found = []
    for path in sorted(TOOLKIT.rglob("*.py")):
        if path.name == "languages.py" and path.parent == TOOLKIT:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Compare):
                consts = [n for n in [node.left, *node.comparators] if isinstance(n, ast.Constant)]
                if any(c.value in bounds for c in consts):
                    found.append(f"{path.relative_to(TOOLKIT.parent)}:{node.lineno}")
    assert not found, found
