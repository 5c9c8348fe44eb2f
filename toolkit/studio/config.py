"""The Label Studio labeling config of a run, generated for its target languages.

Layout (one task = one source sentence): the task's priority and why
(``toolkit.select``; the data manager also lists ``priority`` as a column to
sort on), the labels, then the previous
sentence in grey, the source (marked by a blue edge), the next sentence in grey; then one panel per
translation, side by side, each with its check flags in red, its labels, a
quality rating and a text area for a corrected translation.

Tag names are those of the task contract (``toolkit.studio.contract``): the
source text, its labels and, per target, the translation, its labels, its
rating and its correction. Every ``Text`` tag is named after the data field it
shows, so a span result's ``to_name`` names the text it lies on.

Projected pre-annotations (a source guess carried onto a translation) are not
told apart by label colour, which stays the label's: each such region's
``meta.text`` ("projected from src (name)") is shown in the region's Info panel
when it is selected (Label Studio 1.23 shows it nowhere else, not in the region
list: seen in the browser, docs/screenshots/task_projected.png), and a line under
each translation's header says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import quoteattr

from toolkit.io.atomic import atomic_write_text
from toolkit.languages import NLLB_TO_ISO
from toolkit.records import ENTITY_LABELS, FIGURE_KINDS
from toolkit.studio.contract import (
    CONTEXT_AFTER,
    CONTEXT_BEFORE,
    PRIORITY,
    PRIORITY_WHY,
    RECORD_ID,
    SRC,
    SRC_LANG,
    confidence_field,
    correction_field,
    flags_field,
    labels_field,
    rating_field,
    translation_field,
)

PROJECTED_NOTE = "Select a guess: Info says 'projected from src' if it was carried over from the source"
RATINGS = ("good", "minor errors", "major errors", "wrong language")

# Entities get strong, distinct colours; figure kinds share muted ones, so
# that names stand out from numbers at a glance.
LABEL_COLOURS = {
    "PER": "#e6194b",
    "ORG": "#4363d8",
    "LOC": "#3cb44b",
    "COUNT": "#f58231",
    "MONEY": "#ffd700",
    "PERCENT": "#911eb4",
    "RATIO": "#bcbd22",
    "SCORE": "#17becf",
    "DATE": "#f032e6",
    "YEAR": "#9a6324",
    "ORDINAL": "#808000",
    "QUANTITY": "#469990",
    "OTHER": "#a9a9a9",
}

LANGUAGE_NAMES = {
    "eng_Latn": "English",
    "vie_Latn": "Vietnamese",
    "ind_Latn": "Indonesian",
    "por_Latn": "Portuguese",
    "nob_Latn": "Norwegian Bokmål",
    "tha_Thai": "Thai",
}


def _labels(name: str, to_name: str, labels: Sequence[str]) -> list[str]:
    out = [f'<Labels name="{name}" toName="{to_name}" showInline="true">']
    for label in labels:
        colour = LABEL_COLOURS.get(label, "#a9a9a9")
        out.append(f'  <Label value="{label}" background="{colour}"/>')
    out.append("</Labels>")
    return out


def _context(name: str) -> str:
    """A Text tag that shows a field without letting anyone label it."""
    return f'<Text name="{name}" value="${name}" selectionEnabled="false"/>'


def labeling_config(targets: Sequence[str], labels: Sequence[str] = ENTITY_LABELS + FIGURE_KINDS) -> str:
    """The labeling config (XML) for a run translated into ``targets`` (NLLB codes)."""
    if not targets:
        raise ValueError("a labeling config needs at least one target language")
    ctx = "font-size:0.9em;color:#777"
    src_box = "border-left:4px solid #4363d8;background:#f4f6fd;padding:0.1em 0.5em;margin:0.3em 0"
    lines = [
        "<View>",
        '  <View style="padding:0.5em;border:1px solid #ddd;border-radius:4px;margin-bottom:0.5em">',
        f'    <Header value="Source (${SRC_LANG}) · ${RECORD_ID}" size="5"/>',
        f'    <Header value="Priority ${PRIORITY} · ${PRIORITY_WHY}" size="6"/>',
        # Seen in the browser (docs/screenshots): with the labels between the context before and
        # the source, and no edge between the source and the context after, an annotator could
        # not tell where the sentence to label ends (worst in Thai, which has no full stops).
        # So the labels come first, then the three sentences in reading order, the source marked.
        *("    " + line for line in _labels(labels_field(SRC), SRC, labels)),
        f'    <View style="{ctx}">{_context(CONTEXT_BEFORE)}</View>',
        f'    <View style="{src_box}"><Text name="{SRC}" value="${SRC}" granularity="symbol"/></View>',
        f'    <View style="{ctx}">{_context(CONTEXT_AFTER)}</View>',
        "  </View>",
        '  <View style="display:flex;gap:0.5em;align-items:flex-start">',
    ]
    for t in targets:
        name = LANGUAGE_NAMES.get(t, t)
        mt = translation_field(t)
        lines += [
            '    <View style="flex:1;min-width:0;padding:0.5em;border:1px solid #ddd;border-radius:4px">',
            f'      <Header value={quoteattr(f"{name} ({t})")} size="5"/>',
            f'      <View style="color:#b00020;font-size:0.9em">{_context(flags_field(t))}</View>',
            f'      <View style="color:#555;font-size:0.85em">{_context(confidence_field(t))}</View>',
            f'      <View style="{ctx}"><Header value={quoteattr(PROJECTED_NOTE)} size="6"/></View>',
            *("      " + line for line in _labels(labels_field(mt), mt, labels)),
            f'      <Text name="{mt}" value="${mt}" granularity="symbol"/>',
            f'      <Choices name="{rating_field(t)}" toName="{mt}" choice="single" showInline="true">',
            *(f'        <Choice value="{r}"/>' for r in RATINGS),
            "      </Choices>",
            f'      <TextArea name="{correction_field(t)}" toName="{mt}" rows="2" maxSubmissions="1" editable="true"',
            f"                placeholder={quoteattr(f'Corrected {name} translation (leave empty if it is right)')}/>",
            "    </View>",
        ]
    lines += ["  </View>", "</View>"]
    return "\n".join(lines) + "\n"


def config_path(targets: Sequence[str], folder: str | Path) -> Path:
    """Where the config for ``targets`` is kept under ``folder``: ``labeling_en-vi.xml``."""
    tag = "-".join(NLLB_TO_ISO.get(t, t) for t in targets)
    return Path(folder) / f"labeling_{tag}.xml"


def save_config(targets: Sequence[str], folder: str | Path) -> tuple[Path, str]:
    """Write the config for ``targets`` under ``folder`` (atomically) and return (path, xml)."""
    xml = labeling_config(targets)
    path = config_path(targets, folder)
    if not path.exists() or path.read_text(encoding="utf-8") != xml:
        atomic_write_text(path, xml)
    return path, xml
