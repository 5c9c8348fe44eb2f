"""benchmarks/translate_speed.py --quick: the script runs end to end, reports
what it promises, and leaves no temporary files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.e2e
def test_quick_benchmark_runs_and_writes_json(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    out = tmp_path / "speed.json"
    p = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "translate_speed.py"),
            "--quick",
            "--json",
            str(out),
            "--workdir",
            str(work),
            "--threads",
            "1",
            "--markdown",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
    )
    assert p.returncode == 0, p.stderr[-3000:]
    data = json.loads(out.read_text())
    names = [r["name"] for r in data["results"]]
    assert names[:4] == [
        "transformers_one_at_a_time",
        "transformers_batch32",
        "toolkit_default",
        "toolkit_no_shortlist",
    ]
    assert names[4:] == ["transformers_bf16_batch32", "plain_ct2_int8", "toolkit_per_target_shortlist"]
    gen = data["setup"]["gen_len"]
    for r in data["results"]:
        assert r["tokens_per_s"] > 0 and r["sentences_per_s"] > 0 and r["peak_rss_mb"] > 0
        # exactly gen_len tokens per sentence, in every configuration
        assert r["tokens"] == r["sentences"] * gen, r
    assert set(data["ratios"]) >= {"vs_transformers_batch32", "vs_transformers_one_at_a_time"}
    assert data["ratios"]["vs_transformers_batch32"] > 0 and "ratios_no_shortlist" in data
    default = data["results"][2]
    assert default["threads"] == 1 and default["replicas"] == 1 and default["vmap_retries"] == 0
    assert "x transformers one at a time" in p.stdout
    # the new baselines, and the compute limit from a GEMM measured in the run
    assert data["ratios"]["vs_transformers_bf16_batch32"] > 0 and data["ratios"]["vs_plain_ct2_int8"] > 0
    assert "vs_plain_ct2_int8" in data["ratios_per_target_shortlist"]
    assert all(data["gemm"][k] > 0 for k in ("int8_gops", "fp32_gops", "bf16_gops"))
    by = {r["name"]: r for r in data["results"]}
    for r in data["results"]:
        assert 0 < r["fraction_of_limit"] < 1.5, r
        if not r["name"].startswith("transformers"):
            assert r["gemm"] == "int8", r
    assert by["transformers_bf16_batch32"]["gemm"] == "bf16" and by["transformers_batch32"]["gemm"] == "fp32"
    # a shortlist shrinks the output layer and so lowers the work per token
    assert by["toolkit_per_target_shortlist"]["output_size"] < by["toolkit_default"]["output_size"]
    assert by["toolkit_default"]["output_size"] < by["plain_ct2_int8"]["output_size"] == 8000
    assert by["toolkit_default"]["limit_tok_s"] > by["toolkit_no_shortlist"]["limit_tok_s"]
    assert by["toolkit_per_target_shortlist"]["reloads"] == 1 and by["toolkit_per_target_shortlist"]["switch_s"] > 0
    assert "| **toolkit default**" in p.stdout and "vs plain CT2 int8" in p.stdout and "One run, " in p.stdout
    assert list(work.iterdir()) == []  # the temporary model is gone


def _profile_engine():
    sys.path.insert(0, str(REPO / "benchmarks"))
    import profile_engine

    return profile_engine


def test_profile_groups_perf_lines_and_shares_add_up():
    """benchmarks/profile_engine.py's grouping of ``perf report`` lines:
    dequantizing a product's output is quantization, not GEMM; JIT code is
    oneDNN's kernels; the cache's copies are kv_concat; shares are of their sum."""
    pe = _profile_engine()
    report = "\n".join(
        [
            "# comment | not | a sample",
            " 40.00% |[JIT] tid 4242                |[.] 0x00007f905bc8405e",
            " 10.00% |libctranslate2.so.4.8.5       |[.] dnnl::impl::cpu::x64::gemm_kernel<signed char>",
            " 10.00% |libctranslate2.so.4.8.5       |[.] ctranslate2::cpu::dequantize_gemm_output<2>",
            "  5.00% |libctranslate2.so.4.8.5       |[.] ctranslate2::cpu::quantize_s8<2>",
            " 10.00% |libc.so.6                     |[.] __memmove_avx512_unaligned_erms",
            "  5.00% |[kernel.kallsyms]             |[k] clear_page_erms",
            "  5.00% |libctranslate2.so.4.8.5       |[.] ctranslate2::cpu::softmax<2>",
            "  5.00% |libctranslate2.so.4.8.5       |[.] ctranslate2::layers::Dense::operator()",
            "  5.00% |libpython3.11.so.1.0          |[.] _PyEval_EvalFrameDefault",
            "  5.00% |libfoo.so                     |[.] bar",
        ]
    )
    shares = pe.parse_report(report)
    assert shares == {
        "gemm": 50.0,
        "quantize": 15.0,
        "kv_concat": 10.0,
        "kernel": 5.0,
        "softmax": 5.0,
        "ctranslate2_other": 5.0,
        "python": 5.0,
        "other": 5.0,
    }
    # perf's rounding: 101% of lines still give shares of 100.
    drift = pe.parse_report(" 60.60% |[JIT] tid 1|[.] 0x1\n 40.40% |libc.so.6|[.] memcpy\n")
    assert drift == {"gemm": 60.0, "kv_concat": 40.0}
