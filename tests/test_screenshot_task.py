"""The annotator's view: the source block's layout, and a real browser check.

The browser test runs ``scripts/screenshot_task.py`` against the session's
Label Studio: it needs Debian's ``chromium`` + ``chromium-driver`` (which
``scripts/test.sh`` installs when missing) and ``selenium`` (the dev extra). It
is skipped only where ``/usr/bin/chromium`` is missing, saying how to install it.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from toolkit.studio.config import labeling_config

REPO = Path(__file__).resolve().parents[1]


def _children_names(view: ET.Element) -> list[str]:
    """Names of the tags directly in ``view`` or one wrapper View down, in order."""
    out = []
    for child in view:
        if child.get("name"):
            out.append(child.get("name"))
        elif child.tag == "View":
            out += [c.get("name") for c in child if c.get("name")]
    return out


def test_source_block_reads_in_order_with_the_source_marked():
    root = ET.fromstring(labeling_config(["eng_Latn", "vie_Latn"]))
    source_block = root[0]
    # Labels first, then before / source / after in reading order: nothing between the three.
    assert _children_names(source_block) == ["src_labels", "context_before", "src", "context_after"]
    wrapper = next(v for v in source_block.iter("View") if any(c.get("name") == "src" for c in v))
    assert "border-left" in wrapper.get("style", "")  # the sentence to label stands out from its context
    ctx = next(v for v in source_block.iter("View") if any(c.get("name") == "context_after" for c in v))
    assert "color:#777" in ctx.get("style", "")


def _load_script():
    spec = importlib.util.spec_from_file_location("screenshot_task", REPO / "scripts" / "screenshot_task.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.e2e
def test_browser_shows_predictions_on_the_right_characters(studio_server, tiny_model, tmp_path):
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no /usr/bin/chromium: apt-get install -y chromium chromium-driver (scripts/test.sh does)")
    # With Chromium installed, a missing driver or Selenium is a broken set-up: fail, don't skip.
    assert shutil.which("chromedriver"), "chromium without chromedriver: apt-get install -y chromium-driver"
    import selenium  # noqa: F401  (the dev extra: pip install -e '.[dev]')

    script = _load_script()
    rc = script.main(
        [
            "--out",
            str(tmp_path),
            "--model",
            str(tiny_model),
            "--data-dir",
            studio_server.data_dir,
            "--project",
            "screenshot-test",
        ]
    )
    report = json.loads((tmp_path / "offsets_check.json").read_text(encoding="utf-8"))
    assert rc == 0 and report["ok"], report
    emoji = next(c for c in report["checks"] if c["record_id"] == "000_id.txt#p2s0")
    after = [r for r in emoji["regions"] if r["to_name"] == "src"]
    # Spans after the emoji: code points and UTF-16 differ, and the browser painted the code-point ones.
    assert after and all(r["sent"] != r["utf16"] and r["highlighted"] == r["expected"] for r in after)
    joko = next(m for m in report["manual"] if m["selected"] == "Joko Widodo")
    assert joko["selection_utf16_start"] == 12 and joko["stored"] == [11, 22] and joko["code_points"]
    assert all(m["correction_stored"] == [[m["correction_typed_without_add"]]] for m in report["manual"])
    # Projected guesses on a translation: selecting each, the Info panel shows its meta.text,
    # "projected from src (...)", and nothing on the translation's own guesses.
    proj = report["projected"]
    assert proj["projected"] >= 1 and all(r["ok"] for r in proj["regions"]), proj
    assert all(r["info_panel"] == [r["meta_text"]] for r in proj["regions"] if r["meta_text"])
    assert all(r["meta_text"].startswith("projected from src") for r in proj["regions"] if r["meta_text"])
    assert proj["priority_ok"] and proj["priority_line"].startswith("Priority ")
    # The data manager tab ordered by -tasks:data.priority lists the highest priority first.
    dm = report["sorted"]
    assert dm["ok"] and dm["api_priorities"] == sorted(dm["api_priorities"], reverse=True), dm
    assert dm["highest"]["record_id"] in dm["first_row"]
    assert dm["row_priorities"] == sorted(dm["row_priorities"], reverse=True) and len(dm["row_priorities"]) == 12
    # Two users' annotations of one task: two annotation tabs, the second user's showing only their region.
    two = report["annotators"]
    assert two["ok"] and len(two["completed_by"]) == 2 and two["second_tab_highlights"] == ["Hanoi"], two
    names = [t["name"] for t in two["tabs"]]
    assert any(n.startswith("Second") for n in names) and any(n.startswith("admin") for n in names), names
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    assert {"task_projected.png", "data_manager_priority.png", "task_two_annotators.png"} <= set(pngs)
    for png in tmp_path.glob("*.png"):
        assert 10_000 < png.stat().st_size < 300_000
