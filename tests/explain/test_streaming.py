"""Memory stays bounded however long the log (measured, not timed): generated build noise through a
stream in-process (tracemalloc peaks for 1 MB and 8 MB), and 100 MB through a real pipe into
``kb-lint explain -`` (the child's maximum resident memory against a 1 MB run)."""

from __future__ import annotations

import functools
import io
import json
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

from buildwise.explain import explain_lines
from buildwise.explain.reader import LineReader
from buildwise.explain.scan import MAX_CANDIDATES, LogScanner

#: What fills a big build log: compiler commands, file copies, warnings, meson probes, and lines
#: that look like errors but are not (-Werror flags, Cython's __pyx_L1_error labels, warnings).
_NOISE = (
    "  gcc -pthread -Wsign-compare -DNDEBUG -g -fwrapv -O2 -Wall -Werror=format-security -fPIC "
    "-I/usr/include/python3.11 -c src/mod{n}.c -o build/temp.linux-x86_64-cpython-311/src/mod{n}.o\n",
    "  copying lib/pkg/sub{n}/__init__.py -> build/lib.linux-x86_64-cpython-311/pkg/sub{n}\n",
    "  src/mod{n}.c:12:5: warning: unused variable 'x{n}' [-Wunused-variable]\n",
    "      __pyx_t_{n} = PyNumber_Add(a, b); if (unlikely(!__pyx_t_{n})) __PYX_ERR(0, {n}, __pyx_L1_error)\n",
    "  Run-time dependency threads found: YES\n",
    "  src/mod{n}.c:40:9: note: in expansion of macro 'CHECK' (error handling path {n})\n",
    "  Compiling src/mod{n}.pyx because it changed.\n",
)


@functools.cache
def _noise_block(size: int = 256 * 1024) -> bytes:
    """About ``size`` bytes of noise lines (generated once, then repeated)."""
    lines, total, n = [], 0, 0
    while total < size:
        line = _NOISE[n % len(_NOISE)].format(n=n).encode()
        lines.append(line)
        total += len(line)
        n += 1
    return b"".join(lines)


class _NoiseStream(io.RawIOBase):
    """A read-only byte stream producing ``size`` bytes of build noise, then a psycopg2 failure:
    what ``pip install ... 2>&1 | kb-lint explain -`` sees, without ever holding the log."""

    def __init__(self, size: int) -> None:
        self._lines = self._generate(size)
        self._pending = b""
        self.produced = 0

    def _generate(self, size: int) -> Iterator[bytes]:
        yield b"Using pip 24.0 from /usr/lib/python3/dist-packages/pip (python 3.11)\n"
        yield b"Collecting psycopg2==2.9.9\n  Downloading psycopg2-2.9.9.tar.gz (384 kB)\n"
        block = _noise_block()
        while self.produced < size:
            self.produced += len(block)
            yield block
        yield b"  Error: pg_config executable not found.\n"
        yield b"ERROR: Failed to build 'psycopg2' when getting requirements to build wheel\n"

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if len(self._pending) < len(buffer):
            parts, have = [self._pending], len(self._pending)
            while have < len(buffer):
                chunk = next(self._lines, None)
                if chunk is None:
                    break
                parts.append(chunk)
                have += len(chunk)
            self._pending = b"".join(parts)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def _explain_stream(size: int, kb: Any) -> tuple[Any, int]:
    """Explain ``size`` bytes of noise; returns the explanation and tracemalloc's peak."""
    raw = _NoiseStream(size)
    stream = io.BufferedReader(raw, buffer_size=64 * 1024)
    tracemalloc.start()
    try:
        result = explain_lines(LineReader(stream, "<pipe>"), kb=kb, distro="debian")  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert raw.produced >= size
    return result, peak


def test_memory_does_not_grow_with_the_log(kb: Any) -> None:
    small_result, small_peak = _explain_stream(1024 * 1024, kb)
    result, peak = _explain_stream(8 * 1024 * 1024, kb)
    for r in (small_result, result):
        assert r.cause_kind == "missing_library_config_tool"
        assert r.package == "psycopg2" and r.version == "2.9.9" and r.python == "3.11"
        assert r.evidence is not None and r.evidence.text == "Error: pg_config executable not found."
    # Measured on the reference machine: ~0.8 MB peak for both sizes (knowledge-base signatures and
    # the kept candidate lines). Eight times the log must not cost noticeably more.
    assert peak < 8 * 1024 * 1024, f"peak traced memory {peak / 1e6:.1f} MB"
    assert peak - small_peak < 1024 * 1024, f"{small_peak / 1e6:.2f} MB -> {peak / 1e6:.2f} MB"


@pytest.mark.skipif(resource is None, reason="needs the resource module (POSIX)")
def test_100_mb_through_a_pipe_in_bounded_memory(tmp_path: Path) -> None:
    """``pip install ... 2>&1 | kb-lint explain -``: 100 MB through a real pipe into the CLI, whose
    maximum resident memory is measured (ru_maxrss) against the same run on 1 MB."""

    def run(size: int) -> tuple[int, str, int]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "buildwise", "explain", "-", "--format", "json", "--distro", "debian"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "BUILDWISE_CACHE_DIR": str(tmp_path)},
        )
        assert proc.stdin is not None and proc.stdout is not None
        source = _NoiseStream(size)
        while chunk := source.read(1024 * 1024):
            proc.stdin.write(chunk)
        proc.stdin.close()
        out = proc.stdout.read().decode()
        code = proc.wait()
        assert resource is not None
        maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return code, out, maxrss * (1 if sys.platform == "darwin" else 1024)

    code, out, baseline = run(1024 * 1024)
    assert code == 0, out
    code, out, big = run(100 * 1024 * 1024)
    assert code == 0, out
    result = json.loads(out)
    assert result["cause_kind"] == "missing_library_config_tool"
    assert result["evidence"]["text"] == "Error: pg_config executable not found."
    # RUSAGE_CHILDREN keeps the maximum over both runs: growth beyond the 1 MB run is what 100 MB
    # cost. Measured on the reference machine: 0 MB (both ~45 MB, the interpreter and the KB).
    assert big - baseline < 16 * 1024 * 1024, f"{baseline / 1e6:.0f} MB -> {big / 1e6:.0f} MB"


def test_candidates_are_bounded(kb: Any) -> None:
    """Thousands of missing headers (a broken toolchain) keep at most MAX_CANDIDATES lines."""
    scanner = LogScanner(kb)
    for n in range(20_000):
        scanner.feed(f"src/f{n}.c:1:10: fatal error: missing{n}.h: No such file or directory\n")
    result = scanner.result()
    assert len(result.candidates) <= MAX_CANDIDATES + 8
    # The earliest of equally strong errors is the decisive one, and it is kept.
    assert min(c.line for c in result.candidates) == 1


def test_package_table_is_bounded(kb: Any) -> None:
    scanner = LogScanner(kb)
    for n in range(10_000):
        scanner.feed(f"Collecting pkg{n}==1.0\n")
    assert len(scanner.context.versions) <= 2000
