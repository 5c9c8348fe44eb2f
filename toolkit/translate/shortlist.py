"""A target-vocabulary shortlist: CTranslate2's vocabulary map (``vmap.txt``).

NLLB scores all 256,206 vocabulary entries at every decoding step; most of
them are words of languages the output will never be in. With a vocabulary
map, CTranslate2 scores only the batch's *candidates*, which cuts the
largest matrix product of each step (the output projection).

The file has one rule per line, ``SOURCE_TOKENS<TAB>TARGET TARGET ...``:

* the line with an empty source key lists tokens that are always candidates;
* any other line makes its targets candidates when its source n-gram (tokens
  joined by spaces) occurs in the batch's source tokens.

CTranslate2 adds ``<unk>``, ``<s>``, ``</s>`` and the target prefix (the
language code) itself. We write:

* always: the pieces of the target languages' common words (offline word
  lists from ``wordfreq``, lower-case and capitalised), every piece made only
  of digits, punctuation and symbols, and the short pieces of the target
  scripts, so any word can still be spelled out piece by piece;
* one identity rule per vocabulary entry (``tok<TAB>tok``), so a name or a
  number in the source can always be copied.

Whether the shortlist hurt a run is told by the figure check of
``toolkit.checks`` (figures lost) and the output-language check; the map's
path and hash go into ``run.json`` through the engine's provenance.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.io.atomic import atomic_open
from toolkit.languages import DEFAULT_TARGETS, LanguageError, to_iso
from toolkit.translate.families import detect_family
from toolkit.translate.hub import cache_root, folder_hash

VMAP_NAME = "vmap.txt"  # the name CTranslate2 looks for in the model folder
DEFAULT_TOP = 20000

# NLLB language codes look like "eng_Latn": never candidates by themselves
# (the target one comes in as the prefix), never copied from the source.
_LANG_CODE = re.compile(r"^[a-z]{3}_[A-Z][a-z]{3}$")
_SCRIPT_OF = {"Latn": "LATIN", "Thai": "THAI", "Cyrl": "CYRILLIC", "Grek": "GREEK", "Arab": "ARABIC"}


class ShortlistError(ToolkitError, ValueError):
    """A vocabulary map that cannot be read; the message names the file and line and says to rebuild it."""


@dataclass
class Shortlist:
    """The content of a vocabulary map."""

    always: set[str] = field(default_factory=set)
    identity: set[str] = field(default_factory=set)  # tokens that map to themselves
    rules: dict[str, set[str]] = field(default_factory=dict)  # other rules read from a file

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the map atomically (sorted, so the same shortlist gives the same bytes and hash)."""
        path = Path(path)
        with atomic_open(path, "w") as fh:
            fh.write("\t" + " ".join(sorted(self.always)) + "\n")
            for tok in sorted(self.identity):
                fh.write(f"{tok}\t{tok}\n")
            for key in sorted(self.rules):
                fh.write(key + "\t" + " ".join(sorted(self.rules[key])) + "\n")
        return path

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> Shortlist:
        sl = cls()
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                line = line.rstrip("\n")
                if not line:
                    continue
                if "\t" not in line:
                    raise ShortlistError(
                        f"{path}:{lineno}: no tab in vocabulary map line; rebuild it with `toolkit models shortlist`"
                    )
                key, _, values = line.partition("\t")
                targets = set(values.split())
                if key == "":
                    sl.always |= targets
                elif targets == {key}:
                    sl.identity.add(key)
                else:
                    sl.rules.setdefault(key, set()).update(targets)
        return sl

    def allowed(self, batch_sources: Iterable[Sequence[str]], tgt_lang: str) -> set[str]:
        """The tokens CTranslate2 may produce for this batch (unigram rules only,
        which is all ``build_shortlist`` writes), plus what it always adds."""
        out = set(self.always) | {"<unk>", "<s>", "</s>", tgt_lang}
        for tokens in batch_sources:
            for tok in tokens:
                if tok in self.identity:
                    out.add(tok)
                out |= self.rules.get(tok, set())
        return out

    def stats(self) -> dict[str, Any]:
        return {"always": len(self.always), "identity": len(self.identity), "rules": len(self.rules)}


def target_words(lang: str, top: int = DEFAULT_TOP) -> list[str]:
    """The ``top`` most frequent words of ``lang`` (NLLB or ISO code), from
    wordfreq's word lists, which ship inside its wheel (no download).

    Vietnamese has about 10,600 entries (its words are syllables), so fewer
    than ``top`` may come back.
    """
    import wordfreq

    try:
        iso = to_iso(lang)
    except (LanguageError, KeyError):
        iso = lang.split("_")[0]
    try:
        return wordfreq.top_n_list(iso, top)
    except LookupError as e:
        raise LanguageError(f"no offline word list for {lang!r} in wordfreq ({e}); pass --words FILE") from e


def _is_symbolic(text: str) -> bool:
    """Digits, punctuation and symbols only (what figures and dates are made of)."""
    return bool(text) and all(unicodedata.category(c)[0] in "NPSZ" for c in text)


def _in_scripts(text: str, scripts: set[str]) -> bool:
    for c in text:
        if not unicodedata.category(c).startswith("L"):
            continue
        name = unicodedata.name(c, "")
        if not any(name.startswith(s) for s in scripts):
            return False
    return True


def build_shortlist(
    tokenizer: Any,
    targets: Sequence[str],
    top: int = DEFAULT_TOP,
    extra_words: Iterable[str] = (),
    short_piece_len: int = 2,
) -> Shortlist:
    """Build a shortlist for translating into ``targets`` (NLLB codes) with
    ``tokenizer`` (the model's Hugging Face tokenizer)."""
    vocab: dict[str, int] = tokenizer.get_vocab()
    special = set(getattr(tokenizer, "all_special_tokens", []))
    lang_codes = {t for t in vocab if _LANG_CODE.match(t)}
    never = special | lang_codes

    words: set[str] = set(extra_words)
    scripts: set[str] = set()
    for lang in targets:
        for w in target_words(lang, top):
            words.add(w)
            words.add(w[:1].upper() + w[1:])
        script = lang.split("_")[-1] if "_" in lang else "Latn"
        scripts.add(_SCRIPT_OF.get(script, script.upper()))

    # Short pieces only of the letters the targets' words use: Latin script
    # alone would give an English map Vietnamese pieces such as "ế".
    letters = {x for w in words for c in w if c.isalpha() for x in (c, c.lower(), c.upper())}
    always: set[str] = set()
    word_list = sorted(words)
    for i in range(0, len(word_list), 2048):
        chunk = word_list[i : i + 2048]
        enc = tokenizer(chunk, add_special_tokens=False)
        for ids in enc["input_ids"]:
            always.update(tokenizer.convert_ids_to_tokens(ids))

    for tok in vocab:
        if tok in never:
            continue
        text = tok.replace("\u2581", "")
        short = text and len(text) <= short_piece_len and _in_scripts(text, scripts)
        if _is_symbolic(text) or (short and all(c in letters for c in text if c.isalpha())):
            always.add(tok)
    always.add("\u2581")  # the bare word-start piece, which some words begin with

    identity = {t for t in vocab if t not in never}
    # A token with whitespace would be misread by CTranslate2's line parser.
    ok = re.compile(r"^\S+$")
    return Shortlist(
        always={t for t in always if t in vocab and t not in never and ok.match(t)},
        identity={t for t in identity if ok.match(t)},
    )


def write_shortlist(
    model_dir: str | os.PathLike[str],
    targets: Sequence[str],
    top: int = DEFAULT_TOP,
    out: str | os.PathLike[str] | None = None,
    words_files: Sequence[str | os.PathLike[str]] = (),
) -> tuple[Path, Shortlist]:
    """Build a shortlist with the tokenizer of ``model_dir`` (a converted
    folder or a Hugging Face one) and write it to ``out`` or, by default,
    ``model_dir/vmap.txt``, where CTranslate2 finds it."""
    from transformers import AutoTokenizer

    family = detect_family(model_dir)
    if not family.shortlist:
        raise ShortlistError(
            f"{model_dir} is a {family.name} model, which runs without a shortlist (no forced target token to "
            "detect CTranslate2's vocabulary-map bug by; see docs/MODELS.md)"
        )
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    extra: list[str] = []
    for f in words_files:
        with open(f, encoding="utf-8") as fh:
            extra.extend(w for line in fh for w in line.split())
    sl = build_shortlist(tokenizer, targets, top=top, extra_words=extra)
    path = Path(out) if out is not None else Path(model_dir) / VMAP_NAME
    sl.write(path)
    return path, sl


def ensure_shortlist(
    model_dir: str | os.PathLike[str],
    targets: Sequence[str] = DEFAULT_TARGETS,
    top: int = DEFAULT_TOP,
) -> Path:
    """The shortlist a run into ``targets`` uses, built on first use.

    A ``vmap.txt`` in the model folder (``toolkit models shortlist MODEL``,
    perhaps with ``--words``) is the user's own choice and wins. Otherwise
    one is built per set of targets, in the folder's ``shortlists/`` when
    the folder is writable, else under the toolkit's cache.
    """
    model_dir = Path(model_dir)
    own = model_dir / VMAP_NAME
    if own.is_file():
        return own
    name = f"{'+'.join(sorted(targets))}-top{top}.txt"
    path = model_dir / "shortlists" / name
    if not path.is_file():
        try:
            path.parent.mkdir(exist_ok=True)
            writable = os.access(path.parent, os.W_OK)
        except OSError:
            writable = False
        if not writable:
            base = cache_root() / "shortlists"
            path = base / folder_hash(model_dir, names=("shared_vocabulary.json", "shared_vocabulary.txt")) / name
            path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file():
            write_shortlist(model_dir, targets, top=top, out=path)
    return path
