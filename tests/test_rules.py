"""The rule-based entity guesser on Thai: designators and titles match whole words only."""

import pytest

from toolkit.extractor.rules import RuleGuesser


@pytest.mark.parametrize(
    "text, expected",
    [
        # the seeds' own sentences
        (
            "ในฐานะพื้นที่สำคัญของนครห่าติ๋ญ ในช่วงปี 2561-2566 แขวงห่าหุยแท็ปได้ดำเนินโครงการ",
            [("LOC", "ห่าติ๋ญ"), ("LOC", "ห่าหุยแท็ป")],
        ),
        ("นาย เหงียน ดึ๊ก ซุง กล่าวว่า", [("PER", "เหงียน ดึ๊ก ซุง")]),
        ("จังหวัดกว๋างนาม", [("LOC", "กว๋างนาม")]),
        # traps: a designator or a title inside a longer word, or followed by a function word
        ("ตั้งแต่ในเมืองไปจนถึงระดับรากหญ้า", []),
        ("นายกรัฐมนตรีกล่าว", []),
        ("ในช่วง 6 เดือนแรกของปี 2567", []),
    ],
)
def test_thai_rules(text, expected):
    assert [(s.label, s.text) for s in RuleGuesser().predict(text, "tha_Thai")] == expected
