"""The shape of one Label Studio export task, checked before anything reads it.

An export is JSON that people edit by hand and other tools write, so any
value may have any type. ``shape_problem`` checks, in one pass over the task,
everything the export reader and ``pull`` rely on: the nesting depth (so
that copying or printing the task cannot recurse without end), finite
numbers (JSON's NaN and Infinity, which Label Studio never writes; ``int``
of one raises), text without lone surrogates (which cannot be written as
UTF-8), and the types of the task, its annotations, their results and the
values of span, choice and text-area results. What it accepts, the reader
can use without a type error; what it refuses gets one line saying where.
"""

from __future__ import annotations

import math
import re
from typing import Any

MAX_DEPTH = 64  # a Label Studio task is about 8 levels deep; a task's own data rarely adds many
_SURROGATE = re.compile("[\ud800-\udfff]")
_RESULT_VALUES = {"labels": "labels", "choices": "choices", "textarea": "text"}


def is_id(x: Any) -> bool:
    """An id as Label Studio writes them: a whole number or a string (never a bool)."""
    return (isinstance(x, int) and not isinstance(x, bool)) or isinstance(x, str)


def _where(path: tuple[Any, ...]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "the task"


def _walk(task: Any) -> str | None:
    """Depth, non-finite numbers and lone surrogates anywhere in the task; iterative, so never recursive."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(task, ())]
    while stack:
        obj, path = stack.pop()
        if len(path) > MAX_DEPTH:
            return f"nested deeper than {MAX_DEPTH} levels at {_where(path[:6])}...; not a Label Studio export"
        if isinstance(obj, dict):
            stack.extend((v, (*path, k)) for k, v in obj.items())
        elif isinstance(obj, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(obj))
        elif isinstance(obj, float) and not math.isfinite(obj):
            return f"{_where(path)} is {obj!r}, not a number JSON allows; export the project again"
        elif isinstance(obj, str) and _SURROGATE.search(obj):
            return f"{_where(path)} holds a lone UTF-16 surrogate, which is not text; export the project again"
    return None


def shape_problem(task: Any) -> str | None:
    """Why ``task`` is not shaped as a Label Studio task (one line naming where), or None.

    Not a dict, or without a ``data`` object: the caller words that itself
    (it is the commonest case and names the task by its place).
    """
    problem = _walk(task)
    if problem:
        return problem
    if "id" in task and task["id"] is not None and not is_id(task["id"]):
        return f"id is {_kind(task['id'])}, not a number or a string"
    anns = task.get("annotations")
    if anns is None:
        return None
    if not isinstance(anns, list):
        return f"annotations is {_kind(anns)}, not a list"
    for i, ann in enumerate(anns):
        problem = _annotation_problem(ann, ("annotations", i))
        if problem:
            return problem
    return None


def _kind(x: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(x), "a number"
    )


def _annotation_problem(ann: Any, path: tuple[Any, ...]) -> str | None:
    if not isinstance(ann, dict):
        return f"{_where(path)} is {_kind(ann)}, not an annotation object"
    for key, ok, want in (
        ("id", is_id, "a number or a string"),
        ("task", is_id, "a task id"),
        ("was_cancelled", lambda x: isinstance(x, bool), "true/false"),
        ("created_at", lambda x: isinstance(x, str), "a date string"),
        ("updated_at", lambda x: isinstance(x, str), "a date string"),
        ("completed_by", lambda x: is_id(x) or isinstance(x, dict), "a user id or object"),
        ("reviews", lambda x: isinstance(x, list), "a list"),
    ):
        if ann.get(key) is not None and not ok(ann[key]):
            return f"{_where((*path, key))} is {_kind(ann[key])}, not {want}"
    user = ann.get("completed_by")
    if isinstance(user, dict) and (
        not is_id(user.get("id", 0)) or not isinstance(user.get("email", ""), (str, type(None)))
    ):
        return f"{_where((*path, 'completed_by'))} has an id or email of the wrong type"
    results = ann.get("result")
    if results is None:
        return None
    if not isinstance(results, list):
        return f"{_where((*path, 'result'))} is {_kind(results)}, not a list of results"
    for j, res in enumerate(results):
        problem = _result_problem(res, (*path, "result", j))
        if problem:
            return problem
    return None


def _result_problem(res: Any, path: tuple[Any, ...]) -> str | None:
    if not isinstance(res, dict):
        return f"{_where(path)} is {_kind(res)}, not a result object"
    for key in ("type", "from_name", "to_name"):
        if res.get(key) is not None and not isinstance(res[key], str):
            return f"{_where((*path, key))} is {_kind(res[key])}, not a name"
    kind = res.get("type")
    if kind not in _RESULT_VALUES:
        return None  # relations, other tags: not read
    value = res.get("value")
    if not isinstance(value, dict):
        return f"{_where((*path, 'value'))} is {_kind(value)}, not an object"
    if kind == "labels":
        return _span_problem(value, path)
    items = value.get(_RESULT_VALUES[kind])
    if items is not None and (not isinstance(items, list) or not all(isinstance(x, str) for x in items)):
        return f"{_where((*path, 'value', _RESULT_VALUES[kind]))} is not a list of strings"
    return None


def _span_problem(value: dict[str, Any], path: tuple[Any, ...]) -> str | None:
    labels = value.get("labels", value.get("hypertextlabels"))
    bad = next((k for k in ("start", "end") if not isinstance(value.get(k), int) or isinstance(value.get(k), bool)), "")
    if bad:
        why = f"{bad} is {_kind(value.get(bad))}, not a whole number"
    elif not isinstance(labels, list) or not labels or not all(isinstance(x, str) and x for x in labels):
        why = "labels is not a list of label names"
    elif value.get("text") is not None and not isinstance(value["text"], str):
        why = f"text is {_kind(value['text'])}, not the span's text"
    else:
        return None
    return f"a span without start/end/labels ({_where(path)}.value: {why})"
