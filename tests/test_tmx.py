"""TMX 1.4 output parses as XML, keeps text exactly and never leaves half a file."""

import xml.etree.ElementTree as ET

import pytest

from toolkit.io.tmx import TmxWriter

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_tmx_roundtrip(tmp_path):
    path = tmp_path / "tmx" / "tha_Thai-eng_Latn.tmx"
    src = 'ในช่วงปี 2561-2566 <แขวง> & "ห่าหุยแท็ป" 👍'
    with TmxWriter(path, "tha_Thai", "eng_Latn") as w:
        w.add("a.txt#p0s0", "a.txt", src, "In 2018-2023 & <ward>\x01")
    root = ET.parse(path).getroot()
    assert root.attrib["version"] == "1.4"
    assert root.find("header").attrib["srclang"] == "th"
    tuvs = root.findall("./body/tu/tuv")
    assert [t.attrib[XML_LANG] for t in tuvs] == ["th", "en"]
    assert tuvs[0].find("seg").text == src
    assert tuvs[1].find("seg").text == "In 2018-2023 & <ward>"  # control character dropped


def test_tmx_not_written_on_error(tmp_path):
    path = tmp_path / "x.tmx"
    with pytest.raises(RuntimeError), TmxWriter(path, "por_Latn", "vie_Latn") as w:
        w.add("1", "d", "a", "b")
        raise RuntimeError("killed")
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []
