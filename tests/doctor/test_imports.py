"""kb-lint doctor --import: a native package whose shared library is gone fails to load."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from buildwise.analysis.imports import check_imports, library_stem, missing_library
from buildwise.knowledge import load_knowledge

GLIBC_ERROR = "ImportError: libpq.so.5: cannot open shared object file: No such file or directory"


def test_loader_messages_name_the_library() -> None:
    assert missing_library(GLIBC_ERROR) == "libpq.so.5"
    assert missing_library("Error loading shared library libxslt.so.1: No such file or directory") == (
        "libxslt.so.1"
    )
    assert missing_library("dlopen(x.so, 2): Library not loaded: @rpath/libssl.3.dylib") == "libssl.3.dylib"
    assert library_stem("libpq.so.5") == "pq" and library_stem("libssl.3.dylib") == "ssl"
    kb = load_knowledge()
    assert kb.identifiers_for("library", library_stem("libpq.so.5")) == ["dep:generic/libpq"]


@pytest.mark.skipif(shutil.which("cc") is None or sys.platform != "linux", reason="builds a real .so")
def test_a_missing_shared_library_is_reported(tmp_path: Path) -> None:
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['platlib'])"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    )  # fmt: skip
    build = tmp_path / "build"
    build.mkdir()
    (build / "gone.c").write_text("int gone_value(void) { return 1; }\n")
    (build / "ext.c").write_text("int gone_value(void);\nint use(void) { return gone_value(); }\n")
    subprocess.run(["cc", "-shared", "-fPIC", "-o", build / "libbwgone.so", build / "gone.c"], check=True)
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    pkg = site / "bwnative"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    ext = pkg / f"_speedups{suffix}"
    subprocess.run(
        ["cc", "-shared", "-fPIC", "-o", ext, build / "ext.c", f"-L{build}", "-lbwgone"], check=True
    )
    (build / "libbwgone.so").unlink()  # installed, then its library removed
    info = site / "bwnative-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: bwnative\nVersion: 1.0\n")
    (info / "RECORD").write_text(f"bwnative/__init__.py,,\nbwnative/_speedups{suffix},,\n")
    report = check_imports(load_knowledge(), str(python), "debian")
    assert report.checked == ["bwnative"]
    [failure] = report.failures
    assert failure.module == "bwnative._speedups"
    assert failure.library == "libbwgone.so"
    assert failure.packages == []  # no knowledge-base identifier ships libbwgone
    done = subprocess.run(
        [sys.executable, "-m", "buildwise", "doctor", "--import", "--python", str(python), "--format=json"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["failures"][0]["library"] == "libbwgone.so"
