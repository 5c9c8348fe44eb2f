"""Look at Label Studio tasks as an annotator does: headless Chromium screenshots + offset checks.

It needs Debian's Chromium and its driver, fonts that draw Thai and emoji
(``scripts/test.sh`` installs them when missing, and CI runs it through
``tests/test_screenshot_task.py``), and Selenium (the dev extra)::

    apt-get install -y chromium chromium-driver fonts-noto-color-emoji fonts-thai-tlwg
    .venv/bin/pip install -e '.[dev]'

Usage::

    .venv/bin/python scripts/screenshot_task.py --out docs/screenshots

What it does, end to end, with nothing mocked:

1. writes a few lines of ``seeds/000`` (Indonesian) and ``seeds/003`` (Thai)
   plus one Indonesian line with emoji into a temporary folder, and runs
   ``toolkit translate`` on it with the tiny copy model (``.cache/tiny-nllb-copy``,
   built by the tests' fixtures); where ``annotations/parallel`` holds a
   hand-made English and Vietnamese translation of a sentence, that one stands
   in for the model's copy, so that projection has a real translation to work on;
2. starts a Label Studio of its own (``toolkit.studio.server``, fresh data
   folder, free port) and runs ``toolkit push RUN --project shot`` (document
   order, so that sorting by priority in the data manager has work to do);
3. logs in through the browser, opens the emoji task and a Thai task in the
   labeling view, and checks that every pre-annotation (prediction) region is
   highlighted on exactly the characters it names (``value.text``);
4. labels a name after the emoji and a Thai name after combining marks by
   selecting them in the page and clicking a label, types a correction without
   pressing "Add", submits, and reads back what Label Studio stored (offsets,
   text, correction);
5. selects every guess on the translations of a task with projected guesses and
   reads the Info panel: "projected from src (...)" (the region's ``meta.text``)
   on exactly the projected ones; reads the task's "Priority ..." line;
6. opens a data manager tab ordered by ``-tasks:data.priority`` and checks that its
   rows come highest priority first;
7. makes a second user (``users.create``) and an annotation of theirs
   (``completed_by``) on the emoji task, and checks that the task shows two
   annotation tabs and the second user's tab only their region;
8. saves screenshots (palette PNGs) and ``offsets_check.json`` under ``--out``
   and stops the server (unless ``--keep-server``).

Exit code 0 when every check passed, 1 when one failed (the JSON says which).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from toolkit.segment.tokens import to_utf16  # noqa: E402
from toolkit.studio import server  # noqa: E402

PARALLEL = REPO / "annotations" / "parallel" / "parallel.jsonl"
# A task whose Vietnamese gets source guesses projected onto it (Võ Chí Công, Trung ương).
PROJECTED_TASK = "000_id.txt#p3s0"

EMOJI_LINE = "Presiden 👍 Joko Widodo mengunjungi Hanoi pada 15/10/2024 🎉 dengan 120 miliar rupiah."
# record id -> (text to select, label, English correction typed but not "Add"-ed):
# a name after the emoji, and a Thai name after combining marks (ิ ่ ื).
MANUAL_LABELS = {
    "000_id.txt#p2s0": (
        "Joko Widodo",
        "PER",
        "President Joko Widodo visited Hanoi on 15/10/2024 with 120 billion rupiah.",
    ),
    "003_th.txt#p1s0": ("คณะกรรมการพรรคฮานอย", "ORG", "In the first 6 months of 2024, the Hanoi Party Committee ..."),
}
CHROME_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def build_input(folder: Path) -> None:
    """Three Indonesian lines + the emoji line, three Thai lines: two documents, ~12 sentences."""
    folder.mkdir(parents=True, exist_ok=True)
    ind = next((REPO / "seeds").glob("000_*.txt")).read_text(encoding="utf-8").splitlines()
    tha = next((REPO / "seeds").glob("003_*.txt")).read_text(encoding="utf-8").splitlines()
    (folder / "000_id.txt").write_text("\n".join([ind[1], ind[2], EMOJI_LINE, ind[4]]) + "\n", encoding="utf-8")
    (folder / "003_th.txt").write_text("\n".join(tha[1:4]) + "\n", encoding="utf-8")


def use_human_translations(run_dir: Path) -> list[str]:
    """Put the hand-made translations of ``annotations/parallel`` in place of the tiny model's copies.

    The tiny model copies its input, so nothing could be projected onto its "translations"
    (projection places a source name on a real translation of it, never on a copy). Where the
    parallel set holds the sentence, its English and Vietnamese stand in for the engine's: the
    record's target figures are dropped (push finds them again on the new text) and its target
    flags are made again by ``toolkit.checks``. Returns the record ids changed.
    """
    from toolkit.checks import check_translation
    from toolkit.projection.parallel import SIDE_LANG, load_parallel
    from toolkit.records import BitextRecord

    human = {p.texts["src"]: {SIDE_LANG[s]: p.texts[s] for s in SIDE_LANG} for p in load_parallel(PARALLEL)}
    path = run_dir / "bitext.jsonl"
    records = [BitextRecord.from_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    changed = []
    for rec in records:
        mts = human.get(rec.src)
        if not rec.translate or mts is None or not set(rec.mt) <= set(mts):
            continue
        for target in rec.mt:
            rec.mt[target] = mts[target]
            rec.figures.pop(target, None)
            rec.scores.pop(target, None)
            rec.round_trip.pop(target, None)
        rec.flags = [f for f in rec.flags if f["target"] not in rec.mt] + [
            f.to_dict() for t in rec.mt for f in check_translation(rec.src, rec.mt[t], rec.src_lang, t)
        ]
        changed.append(rec.id)
    path.write_text("".join(r.to_json() + "\n" for r in records), encoding="utf-8")
    return changed


def toolkit(*args: str) -> None:
    """Run a ``toolkit`` command with the venv's Python; stop with its stderr if it fails."""
    proc = subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        sys.exit(f"error: toolkit {args[0]} failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}")


def api(creds: server.Credentials, path: str) -> Any:
    req = urllib.request.Request(f"{creds.url}{path}", headers={"Authorization": f"Token {creds.token}"})
    with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310 (loopback URL)
        return json.load(r)


def browser(user_data: Path, size: tuple[int, int]):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in CHROME_FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={user_data}")
    opts.add_argument(f"--window-size={size[0]},{size[1]}")
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver), options=opts)


def login(drv, creds: server.Credentials) -> None:
    from selenium.webdriver.common.by import By

    drv.get(f"{creds.url}/user/login/")
    drv.find_element(By.NAME, "email").send_keys(creds.username)
    drv.find_element(By.NAME, "password").send_keys(creds.password)
    drv.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(drv, "return !location.pathname.startsWith('/user/login')", 30, "login")


def wait_for(drv, script: str, timeout: float, what: str, *args: Any) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = drv.execute_script(script, *args)
        if value:
            return value
        time.sleep(0.5)
    raise TimeoutError(f"{what}: not ready after {timeout:.0f}s")


# Every highlighted region in the page: its region id (the class "htx-highlight-<id>-<n>")
# and the characters it covers (a region split by another one has several pieces).
JS_HIGHLIGHTS = """
const out = {};
for (const el of document.querySelectorAll('.htx-highlight')) {
  const cls = [...el.classList].find(c => /^htx-highlight-.+-\\d+$/.test(c));
  if (!cls) continue;
  const id = cls.slice('htx-highlight-'.length).replace(/-\\d+$/, '');
  out[id] = (out[id] || '') + el.textContent;
}
return out;
"""

# Select `needle` inside the text container whose text is `full`, as a mouse would, and
# fire the mouseup the editor listens to. Returns the selection's UTF-16 start in the text.
JS_SELECT = """
const [full, needle, labelsIndex, label] = arguments;
const box = [...document.querySelectorAll('.lsf-htx-richtext')].find(b => b.textContent === full);
if (!box) return 'no text container shows the task text';
const lab = [...document.querySelectorAll('.lsf-labels')][labelsIndex];
const chip = [...lab.querySelectorAll('.lsf-label')].find(l => l.querySelector('.lsf-label__text').textContent === label);
chip.click();
const at = full.indexOf(needle);
const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
let pos = 0, range = document.createRange(), n, started = false;
while ((n = walker.nextNode())) {
  const len = n.textContent.length;
  if (!started && at < pos + len) { range.setStart(n, at - pos); started = true; }
  if (started && at + needle.length <= pos + len) { range.setEnd(n, at + needle.length - pos); break; }
  pos += len;
}
const sel = window.getSelection();
sel.removeAllRanges();
sel.addRange(range);
const target = range.startContainer.parentElement;
for (const type of ['mouseup', 'click']) {
  target.dispatchEvent(new MouseEvent(type, {bubbles: true, cancelable: true, view: window}));
}
return at;
"""


def save_png(drv, path: Path, colours: int = 128) -> int:
    """A screenshot as a palette PNG (a tenth of the size; text stays sharp); returns bytes."""
    raw = drv.get_screenshot_as_png()
    try:
        import io

        from PIL import Image

        img = Image.open(io.BytesIO(raw)).convert("RGB")
        img.quantize(colors=colours, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    except ImportError:  # no Pillow: keep Chrome's PNG as it is
        path.write_bytes(raw)
    return path.stat().st_size


def check_task(drv, creds, project: int, task: dict, shot: Path | None) -> dict:
    """Open ``task`` in the labeling view, compare highlights with its prediction, screenshot it."""
    preds = [r for p in api(creds, f"/api/predictions?task={task['id']}") for r in p["result"]]
    want = {r["id"]: r for r in preds if r["type"] == "labels"}
    # The editor paints the regions after the texts; wait until every prediction is painted.
    seen = open_task(drv, creds, project, task["id"], len(want))
    regions = []
    for rid, r in want.items():
        v, text = r["value"], task["data"][r["to_name"]]
        regions.append(
            {
                "to_name": r["to_name"],
                "label": v["labels"][0],
                "sent": [v["start"], v["end"]],
                "utf16": [to_utf16(text, v["start"]), to_utf16(text, v["end"])],
                "expected": v["text"],
                "highlighted": seen.get(rid),
                "ok": seen.get(rid) == v["text"],
            }
        )
    out = {"task": task["id"], "record_id": task["data"]["record_id"], "regions": regions}
    if shot is not None:
        out["screenshot"] = shot.name
        out["png_bytes"] = save_png(drv, shot)
    return out


def label_and_submit(drv, creds, task: dict, needle: str, label: str, correction: str, shot: Path | None) -> dict:
    """Label ``needle`` in the source via a real selection, type a correction, submit, read back."""
    src = task["data"]["src"]
    at = drv.execute_script(JS_SELECT, src, needle, 0, label)
    if isinstance(at, str):
        return {"task": task["id"], "ok": False, "error": at}
    time.sleep(1.0)
    # A correction typed but not "Add"-ed: does Submit keep it?
    box = drv.find_elements("css selector", "textarea")
    if box:
        box[0].click()
        box[0].send_keys(correction)
    time.sleep(0.5)
    if shot is not None:
        save_png(drv, shot)
    button = wait_for(
        drv,
        "return [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Submit')",
        20,
        "Submit button",
    )
    button.click()
    anns = wait_for(
        drv,
        f"return fetch('/api/tasks/{task['id']}/annotations/').then(r => r.json()).then(a => a.length ? a : null)",
        30,
        f"task {task['id']} annotation",
    )
    results = anns[-1]["result"]
    mine = [r for r in results if r["from_name"] == "src_labels" and r["value"].get("text") == needle]
    corrections = [r["value"]["text"] for r in results if r["type"] == "textarea"]
    cp = src.index(needle)
    stored = mine[0]["value"] if mine else {}
    return {
        "task": task["id"],
        "record_id": task["data"]["record_id"],
        "selected": needle,
        "label": label,
        "selection_utf16_start": at,
        "python_code_points": [cp, cp + len(needle)],
        "python_utf16": [to_utf16(src, cp), to_utf16(src, cp + len(needle))],
        "stored": [stored.get("start"), stored.get("end")] if stored else None,
        "stored_text": stored.get("text"),
        "code_points": bool(stored) and [stored["start"], stored["end"]] == [cp, cp + len(needle)],
        "correction_typed_without_add": correction,
        "correction_stored": corrections,
        "ok": bool(stored) and src[stored["start"] : stored["end"]] == needle and [correction] in corrections,
    }


def open_task(drv, creds, project: int, task_id: int, regions: int) -> dict[str, str]:
    """Open a task in the labeling view; wait until ``regions`` highlights are painted; return them."""
    drv.get(f"{creds.url}/projects/{project}/data?task={task_id}")
    wait_for(drv, "return document.querySelectorAll('.lsf-htx-richtext').length >= 3", 90, f"task {task_id}")
    seen = wait_for(
        drv,
        f"const h = (function(){{{JS_HIGHLIGHTS}}})(); return Object.keys(h).length >= {regions} ? h : null",
        60,
        f"task {task_id} highlights",
    )
    time.sleep(1.5)  # fonts and the side panels settle
    return seen


# The region details panel (Info) of the selected region shows its ``meta.text``; Label
# Studio 1.23 shows it nowhere else (not in the region list), so a region must be selected.
JS_CLICK_REGION = """
const el = [...document.querySelectorAll('.htx-highlight')].find(
  e => [...e.classList].some(c => c.startsWith('htx-highlight-' + arguments[0] + '-')));
if (!el) return null;
el.click();
return true;
"""
JS_INFO = """
const box = document.querySelector('.lsf-detailed-region');
if (!box) return null;
return {text: box.querySelector('.lsf-outliner-item__text, .lsf-detailed-region__content')?.textContent || '',
        meta: [...box.querySelectorAll('.lsf-detailed-region__meta-text')].map(e => e.textContent)};
"""
# The config's priority Header (a heading in the labeling view): "Priority 0.9 · why".
JS_PRIORITY = """
const heads = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(e => e.textContent);
return heads.find(t => t.startsWith('Priority ')) || null;
"""


def check_projected(drv, creds, project: int, task: dict, shot: Path | None) -> dict:
    """Select every guess on the translations: the Info panel names the projected ones, and only them.

    Also reads the task's priority line in the same view. Selecting a region makes Label
    Studio copy the prediction into a draft annotation, so this task is used for nothing else.
    """
    preds = [r for p in api(creds, f"/api/predictions?task={task['id']}") for r in p["result"]]
    want = [r for r in preds if r["type"] == "labels"]
    open_task(drv, creds, project, task["id"], len(want))
    on_mt = [r for r in want if r["to_name"] != "src"]
    # The projected ones last, so the screenshot shows one selected with its Info panel.
    on_mt.sort(key=lambda r: "meta" in r)
    regions = []
    for r in on_mt:
        if drv.execute_script(JS_CLICK_REGION, r["id"]) is None:
            regions.append({"id": r["id"], "ok": False, "error": "region not highlighted"})
            continue
        info = wait_for(drv, JS_INFO, 10, f"region {r['id']} details")
        meta = r.get("meta", {}).get("text")
        regions.append(
            {
                "to_name": r["to_name"],
                "text": r["value"]["text"],
                "label": r["value"]["labels"][0],
                "meta_text": meta,
                "info_panel": info["meta"],
                "ok": info["meta"] == ([meta] if meta else []),
            }
        )
    data = task["data"]
    line = drv.execute_script(JS_PRIORITY)
    out = {
        "task": task["id"],
        "record_id": data["record_id"],
        "regions": regions,
        "projected": sum(1 for r in regions if r.get("meta_text")),
        "priority_line": line,
        "priority_ok": line == f"Priority {data['priority']} · {data['priority_why']}",
    }
    if shot is not None:
        out["screenshot"] = shot.name
        save_png(drv, shot)
    out["ok"] = out["projected"] > 0 and all(r["ok"] for r in regions) and out["priority_ok"]
    return out


JS_DM_ROWS = """
const rows = [...document.querySelectorAll('.lsf-table__row-wrapper')];
return rows.length ? rows.map(r => [...r.querySelectorAll('.lsf-table__cell')].map(c => c.textContent.trim())) : null;
"""


def check_sorted_view(drv, creds, project: int, tasks: list[dict], shot: Path | None) -> dict:
    """A data manager tab ordered by ``priority`` (highest first): its first row is the most useful task."""
    from label_studio_sdk import LabelStudio

    ls = LabelStudio(base_url=creds.url, api_key=creds.token)
    # Only the columns that tell the order, so that the screenshot shows them.
    cols = api(creds, f"/api/dm/columns/?project={project}")["columns"]
    keep = {"tasks:id", "tasks:data.record_id", "tasks:data.priority", "tasks:data.priority_why", "tasks:data.src"}
    ids = ["tasks:" + (f"{c['parent']}." if c.get("parent") else "") + c["id"] for c in cols]
    hidden = [i for i in ids if i not in keep]
    view = ls.views.create(
        project=project,
        data={
            "title": "by priority",
            "ordering": ["-tasks:data.priority"],
            "hiddenColumns": {"explore": hidden, "labeling": hidden},
        },
    )
    top = max(tasks, key=lambda t: t["data"]["priority"])
    first_by_id = min(tasks, key=lambda t: t["id"])
    by_id = {t["id"]: t["data"]["priority"] for t in tasks}
    listed = api(creds, f"/api/tasks?view={view.id}&page_size=100")["tasks"]
    drv.get(f"{creds.url}/projects/{project}/data?tab={view.id}")
    rows = wait_for(drv, JS_DM_ROWS, 60, "data manager rows")
    time.sleep(1.0)
    out = {
        "view": view.id,
        "ordering": view.data["ordering"],
        "highest": {"record_id": top["data"]["record_id"], "priority": top["data"]["priority"]},
        "first_by_id": {"record_id": first_by_id["data"]["record_id"], "priority": first_by_id["data"]["priority"]},
        "api_priorities": [t["data"]["priority"] for t in listed],
        "first_row": [cell[:80] for cell in rows[0]],
        # The page's rows in order, by their ID cell (the first after the checkbox), as priorities.
        "row_priorities": [by_id[int(r[1])] if r[1].isdigit() and int(r[1]) in by_id else None for r in rows],
        "rows": len(rows),
    }
    if shot is not None:
        out["screenshot"] = shot.name
        save_png(drv, shot)
    out["ok"] = (
        out["api_priorities"] == sorted(out["api_priorities"], reverse=True)
        and out["row_priorities"] == sorted(by_id.values(), reverse=True)
        and top["data"]["record_id"] in rows[0]
        and str(top["data"]["priority"]) in rows[0]
        and str(top["id"]) in rows[0]
    )
    return out


JS_TABS = """
const tabs = [...document.querySelectorAll('.lsf-annotation-button')];
return tabs.length >= arguments[0] ? tabs.map(b => ({
  name: b.querySelector('.lsf-annotation-button__name')?.textContent || '',
  selected: b.classList.contains('lsf-annotation-button_selected')})) : null;
"""


def check_second_annotator(drv, creds, project: int, task: dict, shot: Path | None) -> dict:
    """A second user's annotation on a task the admin annotated: two annotation tabs, each its own regions."""
    from label_studio_sdk import LabelStudio

    ls = LabelStudio(base_url=creds.url, api_key=creds.token)
    email = "second.annotator@example.com"
    user = next((u for u in ls.users.list() if u.email == email), None) or ls.users.create(
        username="second", email=email, password="second-annotator-1", first_name="Second", last_name="Annotator"
    )
    if not api(creds, f"/api/tasks/{task['id']}/annotations/"):  # --no-label: the admin's annotation by API
        ls.annotations.create(id=task["id"], result=[], lead_time=1.0)
    src = task["data"]["src"]
    needle = "Hanoi" if "Hanoi" in src else src.split()[0]
    at = src.index(needle)
    mine = {"id": "second1", "from_name": "src_labels", "to_name": "src", "type": "labels", "origin": "manual"}
    mine["value"] = {"start": at, "end": at + len(needle), "text": needle, "labels": ["LOC"]}
    ls.annotations.create(id=task["id"], result=[mine], completed_by=user.id, lead_time=1.0)
    anns = api(creds, f"/api/tasks/{task['id']}/annotations/")
    drv.get(f"{creds.url}/projects/{project}/data?task={task['id']}")
    tabs = wait_for(drv, JS_TABS, 60, "annotation tabs", len(anns))
    theirs = [i for i, t in enumerate(tabs) if "Second" in t["name"] or email in t["name"]]
    shown = None
    if theirs:  # open the second annotator's tab: the page shows their region, not the admin's
        drv.execute_script("document.querySelectorAll('.lsf-annotation-button')[arguments[0]].click()", theirs[0])
        shown = wait_for(drv, f"const h = (function(){{{JS_HIGHLIGHTS}}})(); return h.second1 ? h : null", 30, "tab")
        time.sleep(1.0)
    out = {
        "task": task["id"],
        "record_id": task["data"]["record_id"],
        "completed_by": sorted({a["completed_by"] for a in anns}),
        "second_user": user.id,
        "tabs": tabs,
        "second_tab_highlights": sorted(shown.values()) if shown else None,
    }
    if shot is not None:
        out["screenshot"] = shot.name
        save_png(drv, shot)
    out["ok"] = len(out["completed_by"]) == 2 and user.id in out["completed_by"] and shown == {"second1": needle}
    return out


def look(drv, creds, project: int, tasks: dict[str, dict], out: Path, label: bool = True) -> dict[str, Any]:
    """Every browser check, in an order where none disturbs another; the report ``offsets_check.json`` holds."""
    report: dict[str, Any] = {"label_studio": api(creds, "/api/version").get("release"), "checks": []}
    shots = {"000_id.txt#p2s0": "task_emoji.png", "003_th.txt#p1s0": "task_thai.png"}
    for rid, name in shots.items():
        report["checks"].append(check_task(drv, creds, project, tasks[rid], out / name))
        if label:
            needle, lab, correction = MANUAL_LABELS[rid]
            shot = out / "task_emoji_labelled.png" if rid.startswith("000") else None
            report.setdefault("manual", []).append(
                label_and_submit(drv, creds, tasks[rid], needle, lab, correction, shot)
            )
    report["projected"] = check_projected(drv, creds, project, tasks[PROJECTED_TASK], out / "task_projected.png")
    report["sorted"] = check_sorted_view(drv, creds, project, list(tasks.values()), out / "data_manager_priority.png")
    report["annotators"] = check_second_annotator(
        drv, creds, project, tasks["000_id.txt#p2s0"], out / "task_two_annotators.png"
    )
    report["ok"] = (
        all(r["ok"] for c in report["checks"] for r in c["regions"])
        and all(m["ok"] for m in report.get("manual", []))
        and all(report[k]["ok"] for k in ("projected", "sorted", "annotators"))
    )
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots", help="Where PNGs and JSON go.")
    ap.add_argument("--model", default=str(REPO / ".cache" / "tiny-nllb-copy"), help="Model for `toolkit translate`.")
    ap.add_argument("--data-dir", type=Path, help="Label Studio data folder (default: a fresh temporary one).")
    ap.add_argument("--port", type=int, default=0, help="Port for a new server (default: a free one).")
    ap.add_argument("--project", default="shot", help="Title of the Label Studio project to push to.")
    ap.add_argument("--size", default="1400x1800", help="Browser window, WIDTHxHEIGHT.")
    ap.add_argument("--keep-server", action="store_true", help="Leave the server running (prints its URL).")
    ap.add_argument("--no-label", action="store_true", help="Only look: do not label, correct or submit.")
    args = ap.parse_args(argv)
    if not Path(args.model).is_dir():
        sys.exit(
            f"error: no model at {args.model}: run the tests once (they build .cache/tiny-nllb-copy) or pass --model"
        )
    size = tuple(int(x) for x in args.size.lower().split("x"))
    args.out.mkdir(parents=True, exist_ok=True)

    work = Path(tempfile.mkdtemp(prefix="toolkit-shot-"))
    data_dir = args.data_dir or work / "studio"
    build_input(work / "in")
    print(f"translating {work / 'in'} with {args.model} ...", file=sys.stderr)
    toolkit("translate", str(work / "in"), "--out", str(work / "run"), "--model", args.model)
    human = use_human_translations(work / "run")
    print(f"hand-made translations from {PARALLEL.relative_to(REPO)} for {', '.join(human)}", file=sys.stderr)
    info = server.start(port=args.port or server.free_port(), data_dir=data_dir)
    print(f"Label Studio at {info.url} (data {data_dir})", file=sys.stderr)
    drv = None
    try:
        toolkit(
            "push", str(work / "run"), "--project", args.project, "--data-dir", str(data_dir), "--config-dir", str(work)
        )
        creds = server.read_credentials(data_dir)
        assert creds is not None
        project = next(p for p in api(creds, "/api/projects?page_size=100")["results"] if p["title"] == args.project)[
            "id"
        ]
        tasks = {t["data"]["record_id"]: t for t in api(creds, f"/api/tasks?project={project}&page_size=100")["tasks"]}

        drv = browser(work / "chromium", size)
        login(drv, creds)
        report = look(drv, creds, project, tasks, args.out, label=not args.no_label)
        ok = report["ok"]
        (args.out / "offsets_check.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0 if ok else 1
    finally:
        if drv is not None:
            drv.quit()
        if args.keep_server:
            print(f"server left running at {info.url}; stop it with toolkit.studio.server.stop({str(data_dir)!r})")
            shutil.rmtree(work / "chromium", ignore_errors=True)
        else:
            if not info.already_running:
                server.stop(data_dir)
            shutil.rmtree(work, ignore_errors=True)  # input, run folder, browser profile (and our server's data)


if __name__ == "__main__":
    sys.exit(main())
