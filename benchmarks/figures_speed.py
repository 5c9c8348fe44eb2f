"""Speed of ``extract_figures``: characters per second on the seeds repeated to 10 MB, per language.

    .venv/bin/python benchmarks/figures_speed.py [--mb 10] [--seeds seeds]

Runs on one core (the finder is pure Python and single-threaded). The seeds
are in Indonesian, Portuguese, Norwegian and Thai; each language's seeds are
concatenated and repeated until the text reaches ``--mb`` megabytes
(characters / 1e6), then found in one call per line, as the translation
pipeline calls it per sentence.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from toolkit.figures import extract_figures

# Which seed is in which language (checked by eye; the seeds are fixed).
_STOPWORDS = {"id": {"dan", "yang", "di"}, "pt": {"de", "e", "do"}, "nb": {"og", "i", "på"}}


def seed_language(text: str) -> str:
    if sum("\u0e00" <= c <= "\u0e7f" for c in text) > len(text) / 4:
        return "th"
    words = text.lower().split()
    return max(_STOPWORDS, key=lambda lang: sum(w in _STOPWORDS[lang] for w in words))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--seeds", default=str(Path(__file__).resolve().parents[1] / "seeds"))
    args = ap.parse_args()
    by_lang: dict[str, str] = {}
    for path in sorted(Path(args.seeds).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lang = seed_language(text)
        by_lang[lang] = by_lang.get(lang, "") + text + "\n"
    target = int(args.mb * 1_000_000)
    # CPU time of this process: the machine is shared, and the aim is per core.
    print(f"{'lang':5} {'chars':>12} {'figures':>9} {'cpu s':>7} {'MB/s':>6} {'wall s':>7}")
    for lang, text in sorted(by_lang.items()):
        big = (text * (target // len(text) + 1))[:target]
        lines = big.split("\n")
        extract_figures("warm up 1", lang)
        t0, w0 = time.process_time(), time.perf_counter()
        n = 0
        for line in lines:
            n += len(extract_figures(line, lang))
        dt, wall = time.process_time() - t0, time.perf_counter() - w0
        print(f"{lang:5} {len(big):>12,} {n:>9,} {dt:>7.2f} {len(big) / dt / 1e6:>6.2f} {wall:>7.2f}")


if __name__ == "__main__":
    main()
