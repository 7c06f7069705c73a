#!/usr/bin/env python3
"""buildwise benchmarks, side by side with the peers, in one run on one generated corpus.

    .venv/bin/python benchmarks/run.py [--projects N] [--edits K] [--runs R] [--work DIR]

Needs ../shared/tools beside the repository (make_corpus.py, lsp_latency.py, floor_lsp_server.py),
pip and network access to the package index for the first run (the peers are installed into a
scratch virtualenv under --work, default benchmarks/.work/, which is not committed).

Peers, installed and measured in the same run on the same corpus:
  tombi (``--offline``: embedded schemas), the Rust ``pyproject`` linter (its registry look-ups
  pointed at a closed loopback port, PYPROJECT_PYPI_BASE_URL=http://127.0.0.1:9, so it sends no
  traffic and fails fast), validate-pyproject, and the pygls floor server (pygls doing nothing but
  parse the document). None of them reports native-build problems: the comparison is the price of
  a linter users already run, not of the same work.

Figures (the table of issue 15): ``kb-lint check`` on one project (whole process) and on the whole
corpus (one process, peak RSS); the language server's first diagnostics, per-edit latency and peak
RSS on a typical pyproject.toml, a 1,000-dependency one and a 2,000-line requirements file;
``kb-lint explain`` on a 100 MB build log (wall time, peak RSS).

Every process is timed here the same way (spawn to exit, ``os.wait4`` for its peak RSS), so no
tool gets a different clock. Medians and nearest-rank p99 over the runs; the ratio is buildwise's
median over the best peer's. The table goes into --out (default benchmarks/RESULTS.md) between the
``results:begin``/``results:end`` markers; the rest of that file (the change log) is kept.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT.parent / "shared" / "tools"  # where CI and developers have them; --tools to override
PY = sys.executable
BIN = Path(PY).parent
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"
#: The typical files of the shared tools' README (median size, seed 1, 1,000 projects).
TYPICAL, TYPICAL_REQ = "p00544", "p00136"
#: Targets of issue 15 (ms unless named), for the "met" column.
TARGETS: dict[str, Any] = {
    "cli_one": 40.0,
    "cli_all": 800.0,
    "cli_all_rss": 100.0,
    "first_typ": 10.0,
    "first_big": 20.0,
    "edit_typ": (2.0, 4.0),
    "edit_big": (4.5, 10.0),
    "edit_req": (3.0, 8.0),
    "lsp_rss": 60.0,
    "explain": 2000.0,
}


# ----------------------------------------------------------------------------- set-up


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def install_peers(work: Path) -> Path:
    venv = work / "peers"
    bin_ = venv / "bin"
    if (bin_ / "pyproject").exists() and (bin_ / "tombi").exists():
        return bin_
    log("installing the peers into a scratch virtualenv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(bin_ / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "tombi", "validate-pyproject[all]", "pygls", "lsprotocol", "tomli"], check=True)
    # `pyproject` (a Rust binary wheel) declares Requires-Python >=3.12 only; the binary does not
    # care which Python installs it.
    dl = work / "dl"
    subprocess.run(
        [
            str(bin_ / "python"),
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "--only-binary=:all:",
            "--python-version",
            "3.12",
            "-d",
            str(dl),
            "pyproject>=1!0.2",
        ],
        check=True,
    )
    wheel = sorted(dl.glob("pyproject-*.whl"))[-1]
    subprocess.run([*pip, "--no-deps", "--ignore-requires-python", str(wheel)], check=True)
    return bin_


def versions(peers: Path) -> dict[str, str]:
    out = {}
    for tool in ("tombi", "pyproject", "validate-pyproject"):
        r = subprocess.run([str(peers / tool), "--version"], capture_output=True, text=True)
        out[tool] = (r.stdout or r.stderr).strip().splitlines()[0] if (r.stdout or r.stderr) else "?"
    r = subprocess.run(
        [str(peers / "python"), "-c", "import importlib.metadata as m; print(m.version('pygls'))"],
        capture_output=True,
        text=True,
    )
    out["pygls"] = r.stdout.strip()
    return out


def make_corpus(work: Path, n: int) -> Path:
    corpus = work / f"corpus-{n}"
    if not (corpus / "manifest.json").exists():
        log(f"generating a corpus of {n} projects")
        subprocess.run(
            [PY, str(TOOLS / "make_corpus.py"), str(corpus), "-n", str(n), "--seed", "1"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return corpus


NOISE = (
    "  gcc -pthread -Wsign-compare -DNDEBUG -g -fwrapv -O2 -Wall -fPIC -I/usr/include/python3.11 "
    "-c src/mod{n}.c -o build/temp.linux-x86_64-cpython-311/src/mod{n}.o\n",
    "  copying lib/pkg/sub{n}/__init__.py -> build/lib.linux-x86_64-cpython-311/pkg/sub{n}\n",
    "  src/mod{n}.c:12:5: warning: unused variable 'x{n}' [-Wunused-variable]\n",
    "  Run-time dependency threads found: YES\n",
    "  Compiling src/mod{n}.pyx because it changed.\n",
    "  src/mod{n}.c:40:9: note: in expansion of macro 'CHECK'\n",
)


def make_log(work: Path, megabytes: int) -> Path:
    """A failed pip build (a real log from the test suite) with ``megabytes`` of build noise."""
    path = work / f"build-{megabytes}mb.log"
    if path.exists():
        return path
    real = (ROOT / "tests" / "explain" / "logs" / "real-psycopg2-no-pg-config.log").read_text()
    head, _, tail = real.partition("  Error:")
    block = "".join(NOISE[n % len(NOISE)].format(n=n) for n in range(3000)).encode()
    with path.open("wb") as fh:
        fh.write(head.encode())
        written = len(head)
        while written < megabytes * 1024 * 1024:
            fh.write(block)
            written += len(block)
        fh.write(("  Error:" + tail).encode())
    return path


# ----------------------------------------------------------------------------- measuring


def spawn(cmd: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall ms from spawn to exit, and the process's peak RSS in KiB."""
    with open(os.devnull, "wb") as null:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=null, stderr=null, env=env, cwd=cwd)
        _, _, usage = os.wait4(proc.pid, 0)
        wall = (time.perf_counter() - t) * 1000
    proc.returncode = 0  # reaped by wait4
    return wall, usage.ru_maxrss


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def sample(cmds: list[list[str]], runs: int, env: dict[str, str], warmup: int = 1) -> dict[str, float]:
    """Run the command list (one process each, in order) ``runs`` times: the wall time of the
    whole list and the highest RSS of any of its processes."""
    walls, rss = [], []
    for i in range(warmup + runs):
        total, peak = 0.0, 0
        for cmd in cmds:
            wall, maxrss = spawn(cmd, env)
            total += wall
            peak = max(peak, maxrss)
        if i >= warmup:
            walls.append(total)
            rss.append(peak)
    return {
        "median_ms": statistics.median(walls),
        "p99_ms": p99(walls),
        "peak_rss_mib": max(rss) / 1024,
        "runs": runs,
    }


def lsp_run(server: str, path: Path, edits: int, env: dict[str, str]) -> dict[str, float]:
    r = subprocess.run(
        [
            PY,
            str(TOOLS / "lsp_latency.py"),
            "--server",
            server,
            "--file",
            str(path),
            "--edits",
            str(edits),
            "--warmup",
            "5",
            "--timeout",
            "60",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
    )
    try:
        data = json.loads(r.stdout)
    except json.JSONDecodeError:
        log(f"  {server}: no result ({r.stderr.strip()[-300:]})")
        return {}
    stats = data.get("edits") or {}
    return {
        "first_ms": data.get("first_diagnostics_ms", math.nan),
        "p50_ms": stats.get("p50", math.nan),
        "p99_ms": stats.get("p99", math.nan),
        "rss_mib": (data.get("memory") or {}).get("peak_rss_kb", math.nan) / 1024,
        "diagnostics": data.get("open_diagnostics", 0),
    }


def lsp(server: str, path: Path, edits: int, runs: int, env: dict[str, str]) -> dict[str, float]:
    """Medians over ``runs`` server runs of each figure (a first diagnostics is one sample a run)."""
    results = [r for r in (lsp_run(server, path, edits, env) for _ in range(runs)) if r]
    if not results:
        return {}
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


# ----------------------------------------------------------------------------- the run


def measure(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    peers = install_peers(work)
    corpus = make_corpus(work, args.projects)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure byte-compiled modules, as users run them
    env.update(
        PYPROJECT_PYPI_BASE_URL="http://127.0.0.1:9", NO_COLOR="1", BUILDWISE_CACHE_DIR=str(work / "cache")
    )
    for where in (ROOT / "server", peers.parent / "lib"):
        subprocess.run([PY, "-m", "compileall", "-q", str(where)], stdout=subprocess.DEVNULL, env=env)
    kb_lint = str(BIN / "kb-lint")

    one = corpus / (TYPICAL if (corpus / TYPICAL).is_dir() else "p00000")
    typ = one / "pyproject.toml"
    subprocess.run([kb_lint, "check", str(one)], env=env, capture_output=True)  # fill the caches
    big, req_big = corpus / "big" / "pyproject.toml", corpus / "big" / "requirements.txt"
    pyprojects = sorted(str(p) for p in corpus.glob("p*/pyproject.toml"))
    t, pp, vp = str(peers / "tombi"), str(peers / "pyproject"), str(peers / "validate-pyproject")
    res: dict[str, Any] = {"versions": versions(peers), "pyproject_files": len(pyprojects)}

    log("CLI, one project")
    res["cli_one"] = {
        "buildwise": sample([[kb_lint, "check", str(one)]], args.runs, env, 3),
        "tombi": sample([[t, "lint", "--offline", str(typ)]], args.runs, env, 3),
        "pyproject": sample([[pp, "check", str(typ)]], args.runs, env, 3),
        "validate-pyproject": sample([[vp, str(typ)]], args.runs, env, 3),
        "floor: python -c 'import tomli'": sample([[PY, "-c", "import tomli"]], args.runs, env, 3),
    }
    log(f"CLI, {args.projects} projects")
    many = max(1, args.runs // 6)
    projects = sorted(str(p) for p in corpus.glob("p*") if p.is_dir())
    res["files_checked"] = sum(
        1
        for d in projects
        for f in Path(d).iterdir()
        if f.name == "pyproject.toml"
        or (f.suffix == ".txt" and f.name.startswith(("requirements", "constraints")))
    )
    res["cli_all"] = {
        "buildwise": sample([[kb_lint, "check", *projects]], many, env),
        "tombi": sample([[t, "lint", "--offline", *pyprojects]], many, env),
        "validate-pyproject": sample([[vp, *pyprojects]], many, env),
    }
    if not args.quick:  # one process per file (it takes one file at a time): ~45 s a run on 1,000
        res["cli_all"]["pyproject (a process per file)"] = sample(
            [[pp, "check", f] for f in pyprojects], 1, env, 0
        )

    floor = f"{peers / 'python'} {TOOLS / 'floor_lsp_server.py'} pygls --parse"
    servers = {
        "buildwise": f"{PY} -m buildwise.lsp",
        "tombi": f"{shlex.quote(t)} lsp --offline",
        "pyproject": f"{shlex.quote(pp)} server",
        "floor: pygls + parse": floor,
    }
    res["lsp"] = {}
    for label, path, names in (
        ("typ", typ, servers),
        ("big", big, servers),
        ("req", req_big, {k: v for k, v in servers.items() if k in ("buildwise", "floor: pygls + parse")}),
    ):
        for name, server in names.items():
            log(f"LSP {label}: {name}")
            res["lsp"].setdefault(label, {})[name] = lsp(server, path, args.edits, args.lsp_runs, env)

    if not args.no_explain:
        logfile = make_log(work, args.log_mb)
        log(f"explain on {args.log_mb} MB")
        res["explain"] = {
            "buildwise": sample([[kb_lint, "explain", str(logfile)]], max(1, args.runs // 10), env),
            "floor: python reading the lines": sample(
                [[PY, "-c", f"for _ in open({str(logfile)!r}, 'rb'): pass"]], max(1, args.runs // 10), env
            ),
        }
    return res


# ----------------------------------------------------------------------------- the table


def _ms(v: float | None) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return f"{v / 1000:.2f} s" if v >= 1000 else f"{v:.1f} ms" if v >= 10 else f"{v:.2f} ms"


def _best(peers: dict[str, dict[str, float]], key: str) -> tuple[str, float] | None:
    vals = [
        (n, d[key])
        for n, d in peers.items()
        if d and n != "buildwise" and not n.startswith("floor") and key in d and not math.isnan(d[key])
    ]
    return min(vals, key=lambda x: x[1]) if vals else None


def _met(value: float, target: float) -> str:
    return "met" if value <= target else "**not met**"


def _peer_cell(group: dict[str, dict[str, float]], keys: tuple[str, ...], unit: str = "ms") -> str:
    cells = []
    for name, d in group.items():
        if name == "buildwise" or not d:
            continue
        vals = " / ".join(_ms(d[k]) if unit == "ms" else f"{d[k]:.0f} MiB" for k in keys)
        cells.append(f"{name} {vals}")
    return "; ".join(cells)


def _ratio(value: float, best: tuple[str, float] | None) -> str:
    return f"{value / best[1]:.2f}x {best[0]}" if best and best[1] > 0 else "no peer"


def table(res: dict[str, Any], args: argparse.Namespace) -> str:
    rows = [
        "| figure | target | buildwise median (p99) | peers, same run: median (p99) | ratio to best peer | |",
        "|---|---|---|---|---|---|",
    ]

    def cli_row(
        label: str, group: dict[str, dict[str, float]], target: float, rss: float | None = None
    ) -> None:
        bw = group["buildwise"]
        peers = "; ".join(
            f"{n} {_ms(d['median_ms'])} ({_ms(d['p99_ms'])})"
            + (f", {d['peak_rss_mib']:.0f} MiB" if rss else "")
            for n, d in group.items()
            if n != "buildwise"
        )
        value = f"{_ms(bw['median_ms'])} ({_ms(bw['p99_ms'])})"
        met = _met(bw["median_ms"], target)
        goal = f"<= {_ms(target)}"
        if rss is not None:
            value += f", peak RSS {bw['peak_rss_mib']:.0f} MiB"
            goal += f", <= {rss:.0f} MiB"
            met = "met" if met == "met" and bw["peak_rss_mib"] <= rss else "**not met**"
        rows.append(
            f"| {label} | {goal} | {value} | {peers} | "
            f"{_ratio(bw['median_ms'], _best(group, 'median_ms'))} | {met} |"
        )

    cli_row("`kb-lint check` one project, whole process", res["cli_one"], TARGETS["cli_one"])
    files = res.get("files_checked") or "?"
    cli_row(
        f"`kb-lint check` {args.projects:,} projects ({files} files), one process",
        res["cli_all"],
        TARGETS["cli_all"],
        TARGETS["cli_all_rss"],
    )
    lsp = res["lsp"]
    for label, key, target in (("typical", "typ", "first_typ"), ("1,000-dependency", "big", "first_big")):
        group = lsp[key]
        bw = group["buildwise"]
        rows.append(
            f"| LSP first diagnostics after didOpen, {label} pyproject.toml | <= {_ms(TARGETS[target])} | "
            f"{_ms(bw.get('first_ms'))} | {_peer_cell(group, ('first_ms',))} | "
            f"{_ratio(bw['first_ms'], _best(group, 'first_ms'))} | {_met(bw['first_ms'], TARGETS[target])} |"
        )
    for label, key in (
        ("typical pyproject.toml", "typ"),
        ("1,000-dependency pyproject.toml", "big"),
        ("2,000-line requirements.txt", "req"),
    ):
        group = lsp[key]
        bw = group["buildwise"]
        p50_t, p99_t = TARGETS[f"edit_{key}"]
        met = "met" if bw["p50_ms"] <= p50_t and bw["p99_ms"] <= p99_t else "**not met**"
        best = _best(group, "p50_ms")
        ratio = (
            _ratio(bw["p50_ms"], best)
            if best
            else (f"no peer; {bw['p50_ms'] / group['floor: pygls + parse']['p50_ms']:.2f}x floor")
        )
        rows.append(
            f"| LSP per-edit p50 / p99, {label} | <= {_ms(p50_t)} / {_ms(p99_t)} | "
            f"{_ms(bw['p50_ms'])} / {_ms(bw['p99_ms'])} | "
            f"{_peer_cell(group, ('p50_ms', 'p99_ms'))} | {ratio} | {met} |"
        )
    group = lsp["big"]
    bw = group["buildwise"]
    rows.append(
        f"| server peak RSS, 1,000-dependency file open | <= {TARGETS['lsp_rss']:.0f} MiB | "
        f"{bw['rss_mib']:.0f} MiB | "
        f"{_peer_cell(group, ('rss_mib',), 'MiB')} | {_ratio(bw['rss_mib'], _best(group, 'rss_mib'))} | "
        f"{_met(bw['rss_mib'], TARGETS['lsp_rss'])} |"
    )
    if "explain" in res:
        ex = res["explain"]
        bw, fl = ex["buildwise"], ex["floor: python reading the lines"]
        rows.append(
            f"| `kb-lint explain` on a {args.log_mb} MB log | <= 2 s, flat memory | {_ms(bw['median_ms'])} "
            f"({_ms(bw['p99_ms'])}), {bw['peak_rss_mib']:.0f} MiB | (no peer); floor: reading the lines "
            f"{_ms(fl['median_ms'])}, {fl['peak_rss_mib']:.0f} MiB | "
            f"{bw['median_ms'] / fl['median_ms']:.1f}x floor | "
            f"{_met(bw['median_ms'], TARGETS['explain'])} |"
        )
    m = res["machine"]
    v = res["versions"]
    head = [
        f"`{' '.join(res['argv'])}` on {m['date']}: {m['cpus']} cores, Python {m['python']}, "
        f"load average at start {m['load']:.2f}; corpus `make_corpus.py -n {args.projects} --seed 1` "
        f"({res['pyproject_files']} pyproject.toml files for the peers, which only read those). "
        f"Peers: tombi {v['tombi'].split()[1] if ' ' in v['tombi'] else v['tombi']}, "
        f"pyproject {v['pyproject'].split()[-1]}, validate-pyproject {v['validate-pyproject'].split()[-1]}, "
        f"pygls {v['pygls']} (floor server). CLI: {args.runs} runs for one project, "
        f"{max(1, args.runs // 6)} for the corpus (`pyproject` takes one file a process: 1 run); LSP: "
        f"{args.edits} edits (5 warm-up edits left out), median of {args.lsp_runs} server runs. "
        "Ratios: buildwise's median over the best peer's (lower is better).",
        "",
    ]
    return "\n".join([*head, *rows])


def write_results(path: Path, text: str) -> None:
    block = f"{BEGIN}\n{text}\n{END}"
    old = path.read_text() if path.exists() else "# Benchmark results\n\n"
    if BEGIN in old and END in old:
        before, _, rest = old.partition(BEGIN)
        _, _, after = rest.partition(END)
        new = before + block + after
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(new)


def main() -> int:
    global TOOLS
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30, help="runs of the one-project CLI (others fewer)")
    parser.add_argument("--lsp-runs", type=int, default=3)
    parser.add_argument("--log-mb", type=int, default=100)
    parser.add_argument("--work", default=str(ROOT / "benchmarks" / ".work"), help="scratch folder")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    parser.add_argument("--json", help="also write the raw results here")
    parser.add_argument("--quick", action="store_true", help="skip the slow one-process-per-file peer run")
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument(
        "--tools", default=str(TOOLS), help="the shared measuring tools (default: %(default)s)"
    )
    args = parser.parse_args()
    TOOLS = Path(args.tools).resolve()
    if not (TOOLS / "make_corpus.py").exists():
        print(
            f"benchmarks/run.py: needs {TOOLS} (the shared measuring tools beside the repository)",
            file=sys.stderr,
        )
        return 2
    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    started = os.getloadavg()[0]
    res = measure(args, work)
    res["argv"] = ["benchmarks/run.py", *sys.argv[1:]]
    res["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load": started,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    text = table(res, args)
    print(text)
    write_results(Path(args.out), text)
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
