"""Which licence a model's weights carry, and whether a business may use them.

The licence is read, in order, from the model folder's card (``README.md``
YAML front matter, ``license:``, as the Hugging Face hub writes it), from the
card of a hub id already in the local Hugging Face cache, or from the table
of known ids below; else it is "unknown". Nothing is downloaded to find it:
``--commercial`` refuses before any model is fetched or loaded.

The table holds only ids whose licence is the same for the whole family and
printed on every card: NLLB-200 (CC-BY-NC-4.0, all sizes and the MoE),
M2M-100 (MIT) and MADLAD-400 (Apache-2.0). OPUS-MT models differ per model
(Apache-2.0 or CC-BY-4.0): their card says which.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from toolkit.errors import ToolkitError

UNKNOWN = "unknown"

#: Hub id patterns and their licence (the cards' ``license:`` values).
KNOWN_IDS: tuple[tuple[str, str], ...] = (
    (r"facebook/nllb-200-.*", "cc-by-nc-4.0"),
    (r"facebook/nllb-moe-54b", "cc-by-nc-4.0"),
    (r"facebook/m2m100_(418M|1\.2B)", "mit"),
    (r"facebook/m2m100-12B-.*", "mit"),
    (r"google/madlad400-.*-mt(-bt)?", "apache-2.0"),
)

#: Licences that allow commercial use (the hub's identifiers). Anything else,
#: "unknown" included, is refused by ``--commercial``: a "-nc" licence forbids
#: it, and an unnamed one may.
COMMERCIAL_OK = frozenset(
    {
        "apache-2.0",
        "mit",
        "bsd-2-clause",
        "bsd-3-clause",
        "cc-by-4.0",
        "cc-by-3.0",
        "cc-by-sa-4.0",
        "cc-by-sa-3.0",
        "cc0-1.0",
        "mpl-2.0",
        "unlicense",
        "lgpl-3.0",
        "gpl-3.0",
        "openrail",
    }
)

_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*(\n|\Z)", re.S)
_LICENSE = re.compile(r"^licen[cs]e:\s*['\"]?([^'\"\n#]+?)['\"]?\s*(#.*)?$", re.M)


class LicenceError(ToolkitError, ValueError):
    """A model whose licence does not allow the use asked for (``--commercial``)."""


def card_licence(folder: str | os.PathLike[str]) -> str | None:
    """``license:`` of the folder's model card front matter, lower-case, or None."""
    card = Path(folder) / "README.md"
    try:
        text = card.read_text(encoding="utf-8", errors="replace")[:20000]
    except OSError:
        return None
    m = _FRONT.match(text)
    if not m:
        return None
    found = _LICENSE.search(m.group(1))
    return found.group(1).strip().lower() if found else None


def _cached_card(model: str) -> Path | None:
    """The folder of a hub id's cached card (no network)."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return None
    try:
        path = try_to_load_from_cache(model, "README.md")
    except Exception:  # a malformed id or cache: no card, so the table or "unknown" decides
        return None
    return Path(path).parent if isinstance(path, str) else None


def known_licence(model: str) -> str | None:
    for pattern, licence in KNOWN_IDS:
        if re.fullmatch(pattern, model):
            return licence
    return None


def model_licence(model: str, folder: str | os.PathLike[str] | None = None) -> str:
    """The licence of ``model`` (a hub id or a folder; ``folder`` where it was
    found): the card's, else the table's, else "unknown"."""
    for where in (folder, Path(model).expanduser() if Path(model).expanduser().is_dir() else None):
        if where is not None and (found := card_licence(where)):
            return found
    if folder is None and not Path(model).expanduser().exists():
        cached = _cached_card(model)
        if cached is not None and (found := card_licence(cached)):
            return found
    return known_licence(model) or UNKNOWN


def commercial_ok(licence: str) -> bool:
    return licence in COMMERCIAL_OK


def check_commercial(model: str, licence: str) -> None:
    """Raise LicenceError (one line, naming the model) unless ``licence`` allows commercial use."""
    if commercial_ok(licence):
        return
    why = "a non-commercial licence" if "nc" in licence.split("-") else "a licence that does not say it allows it"
    raise LicenceError(
        f"--commercial: {model} has {why} ({licence}); choose a model a business may use "
        "(M2M-100: MIT, MADLAD-400: Apache-2.0, OPUS-MT: Apache-2.0 or CC-BY-4.0; see docs/MODELS.md)"
    )
