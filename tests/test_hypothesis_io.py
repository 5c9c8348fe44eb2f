"""Property tests for what reads and writes files: any bytes decode to a Document or a Skip, never a
traceback; valid UTF-8 round-trips exactly; any text and any name make a well-formed TMX."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.io.formats.txt import read as read_txt
from toolkit.io.read import decode_bytes
from toolkit.io.tmx import TmxWriter, xml_safe
from toolkit.records import Document, Skip

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(st.binary(max_size=4096))
def test_any_bytes_give_a_document_or_a_skip(data: bytes) -> None:
    item = read_txt(data, "x.txt")
    assert isinstance(item, Document | Skip)
    if isinstance(item, Skip):
        assert item.reason
    else:
        item.to_json()  # writable downstream


@SETTINGS
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=2000))
def test_valid_utf8_text_round_trips(text: str) -> None:
    decoded = decode_bytes(text.encode("utf-8"))
    if text.startswith("\ufeff"):
        assert decoded == (text[1:], "utf-8-sig")
    else:
        assert decoded == (text, "utf-8")


@SETTINGS
@given(st.text(max_size=300), st.text(max_size=300), st.text(max_size=100))
def test_tmx_is_well_formed_for_any_text_and_name(tmp_path_factory, src: str, tgt: str, name: str) -> None:
    path = tmp_path_factory.mktemp("tmx") / "x.tmx"
    with TmxWriter(path, "ind_Latn", "eng_Latn") as w:
        w.add(f"{name}#p0s0", name, src, tgt)
    root = ET.parse(path).getroot()
    tu = root.find("./body/tu")
    assert tu is not None and tu.attrib["tuid"] == xml_safe(f"{name}#p0s0")
    segs = [seg.text or "" for seg in root.iter("seg")]
    # XML parsers turn a lone CR (and CRLF) into LF
    assert segs == [
        xml_safe(src).replace("\r\n", "\n").replace("\r", "\n"),
        xml_safe(tgt).replace("\r\n", "\n").replace("\r", "\n"),
    ]
