#!/usr/bin/env python3
"""buildwise benchmarks: medians, each next to a baseline measured in the same run.

    .venv/bin/python benchmarks/run.py [--projects N] [--edits K] [--out FILE]

Needs ../shared/tools (make_corpus.py, lsp_latency.py, floor_lsp_server.py) beside the repository.
Measures:
  knowledge base load   warm (cached index) and cold (compile every TOML file); baseline: tomli
                        parsing the same files
  kb-lint check         one project, and N projects in one run; baselines: `python -c "import tomli"`
                        and a script that only tomli-parses the same files
  language server       first diagnostics and per-edit latency (p50/p99) and peak RSS on a typical
                        pyproject.toml, a 1,000-dependency one and a 2,000-line requirements file;
                        baseline: shared/tools/floor_lsp_server.py (pygls doing nothing but parse)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT.parent / "shared" / "tools"
PY = sys.executable


def timed(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def kb_load(runs: int) -> dict[str, float]:
    # The load itself (import time is part of the CLI's start-up, measured below).
    code_warm = (
        "from buildwise.knowledge import KnowledgeBase; import time; t=time.perf_counter(); "
        "KnowledgeBase.load(); print((time.perf_counter()-t)*1000)"
    )
    code_cold = code_warm.replace("KnowledgeBase.load()", "KnowledgeBase.load(use_cache=False)")
    code_base = (
        "import tomli, pathlib, time; t=time.perf_counter(); "
        f"[tomli.loads(p.read_text()) for p in pathlib.Path({str(ROOT / 'knowledge')!r}).rglob('*.toml')]; "
        "print((time.perf_counter()-t)*1000)"
    )

    def inner(code: str) -> float:
        out = []
        for _ in range(runs):
            r = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True)
            out.append(float(r.stdout.strip()))
        return statistics.median(out)

    subprocess.run([PY, "-c", code_warm], capture_output=True, check=True)  # fill the cache
    return {
        "warm_ms": inner(code_warm),
        "cold_ms": inner(code_cold),
        "baseline_tomli_all_files_ms": inner(code_base),
    }


BASELINE_PARSE = """
import sys, pathlib, tomli
for p in pathlib.Path(sys.argv[1]).rglob("*"):
    if p.name == "pyproject.toml":
        tomli.loads(p.read_text())
    elif p.suffix == ".txt":
        [l.split("#")[0].strip() for l in p.read_text().splitlines()]
"""


def cli(corpus: Path, runs: int) -> dict[str, float]:
    one = corpus / "p00001"
    kb_lint = [PY, "-m", "buildwise", "check", "--format", "json"]
    baseline = Path(tempfile.mkdtemp()) / "baseline_parse.py"
    baseline.write_text(BASELINE_PARSE)
    return {
        "one_project_ms": timed([*kb_lint, str(one)], runs),
        "baseline_import_tomli_ms": timed([PY, "-c", "import tomli"], runs),
        "all_projects_ms": timed([*kb_lint, str(corpus)], max(1, runs // 5)),
        "baseline_parse_all_ms": timed([PY, str(baseline), str(corpus)], max(1, runs // 5)),
    }


def lsp(corpus: Path, edits: int) -> dict[str, dict[str, float]]:
    files = {
        "typical pyproject.toml": corpus / "p00001" / "pyproject.toml",
        "1,000-dependency pyproject.toml": corpus / "big" / "pyproject.toml",
        "2,000-line requirements.txt": corpus / "big" / "requirements.txt",
    }
    servers = {
        "buildwise": f"{PY} -m buildwise.lsp",
        "baseline: pygls + parse": f"{PY} {TOOLS / 'floor_lsp_server.py'} pygls --parse",
    }
    out: dict[str, dict[str, float]] = {}
    for label, path in files.items():
        for server, command in servers.items():
            r = subprocess.run(
                [
                    PY,
                    str(TOOLS / "lsp_latency.py"),
                    "--server",
                    command,
                    "--file",
                    str(path),
                    "--edits",
                    str(edits),
                    "--warmup",
                    "5",
                    "--json",
                ],
                capture_output=True,
                text=True,
                timeout=900,
            )
            data = json.loads(r.stdout)
            edits_stats = data.get("edits", {})
            out[f"{label} / {server}"] = {
                "first_diagnostics_ms": round(data.get("first_diagnostics_ms", float("nan")), 2),
                "per_edit_p50_ms": round(edits_stats.get("p50", float("nan")), 2),
                "per_edit_p99_ms": round(edits_stats.get("p99", float("nan")), 2),
                "peak_rss_mib": round(data.get("memory", {}).get("peak_rss_kb", float("nan")) / 1024, 1),
            }
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--out", help="also write the JSON results here")
    args = parser.parse_args()
    if not (TOOLS / "make_corpus.py").exists():
        print(f"needs {TOOLS} (the shared measuring tools beside the repository)", file=sys.stderr)
        return 2
    corpus = Path(tempfile.mkdtemp(prefix="buildwise-corpus-"))
    subprocess.run(
        [PY, str(TOOLS / "make_corpus.py"), str(corpus), "-n", str(args.projects), "--seed", "1"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    os.environ.setdefault("BUILDWISE_CACHE_DIR", tempfile.mkdtemp(prefix="buildwise-cache-"))
    # Measure what users run: byte-compiled modules (some environments set PYTHONDONTWRITEBYTECODE,
    # which would make every start compile the sources again).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [PY, "-m", "compileall", "-q", str(ROOT / "server")], check=True, stdout=subprocess.DEVNULL
    )
    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "load_average": os.getloadavg(),
        },
        "knowledge_base": kb_load(args.runs),
        "cli": cli(corpus, args.runs),
        "lsp": lsp(corpus, args.edits),
    }
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
