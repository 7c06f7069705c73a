"""Bundle the buildwise server and its dependencies into bundled/ for the .vsix (``npm run bundle-server``).

Layout (python/launch.py reads it):
    bundled/libs/            pure-Python wheels + the buildwise wheel (with buildwise/_knowledge)
    bundled/native/abi3/     stable-ABI wheels (tree-sitter-toml), one copy for every CPython
    bundled/native/cp3XX/    wheels built per CPython minor (tree-sitter), one folder per Python
    bundled/manifest.json    platform, Pythons, pinned versions

Everything comes from PyPI as wheels (``--only-binary=:all:``), so the result is the same whichever Python
runs this script. Environment: BUILDWISE_BUNDLE_PYTHONS ("3.10,3.11,...") and BUILDWISE_VSCE_TARGET
(vsce's target, default linux-x64).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CLIENT = Path(__file__).resolve().parent.parent
REPO = CLIENT.parent
OUT = CLIENT / "bundled"
PYTHONS = os.environ.get("BUILDWISE_BUNDLE_PYTHONS", "3.10,3.11,3.12,3.13,3.14").split(",")
TARGET = os.environ.get("BUILDWISE_VSCE_TARGET", "linux-x64")
#: vsce target -> pip --platform tags (older pips do not widen a manylinux tag: list each glibc floor).
_GLIBC = ("manylinux_2_28", "manylinux_2_17", "manylinux2014", "manylinux_2_5", "manylinux1")
PIP_PLATFORMS = {
    "linux-x64": [f"{g}_x86_64" for g in _GLIBC],
    "linux-arm64": [f"{g}_aarch64" for g in _GLIBC[:3]],
    "darwin-arm64": ["macosx_11_0_arm64"],
    "darwin-x64": ["macosx_10_13_x86_64"],
    "win32-x64": ["win_amd64"],
}


def pip(*args: str) -> None:
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q", *args]
    if args[0] == "install" and "--dry-run" not in args:
        cmd += ["--no-compile", "--root-user-action=ignore"]
    subprocess.run(cmd, check=True)


def platform_args(python: str, abi: str | None = None, implementation: str = "cp") -> list[str]:
    args = ["--only-binary=:all:", "--python-version", python, "--implementation", implementation]
    for tag in PIP_PLATFORMS[TARGET] if implementation == "cp" else ["any"]:
        args += ["--platform", tag]
    if abi:
        args += ["--abi", abi]
    return args


def marker_environment(python: str) -> dict[str, str]:
    system, machine = TARGET.split("-")
    return {
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_name": "cpython",
        "implementation_version": f"{python}.0",
        "platform_python_implementation": "CPython",
        "sys_platform": system,
        "os_name": "nt" if system == "win32" else "posix",
        "platform_system": {"linux": "Linux", "darwin": "Darwin", "win32": "Windows"}[system],
        "platform_machine": {"x64": "x86_64", "arm64": "aarch64" if system == "linux" else "arm64"}[machine],
        "platform_release": "",
        "platform_version": "",
        "extra": "",
    }


def resolve(wheel: Path, tmp: Path) -> list[tuple[str, str, str]]:
    """(name, version, wheel file name) of every dependency, for every Python in PYTHONS.

    pip evaluates environment markers against the Python running it, whatever --python-version says,
    so a back-port such as ``exceptiongroup; python_version < "3.11"`` is added here by hand and the
    resolution repeated until nothing is missing."""
    try:
        from packaging.requirements import Requirement
        from packaging.utils import canonicalize_name
    except ImportError:
        from pip._vendor.packaging.requirements import Requirement
        from pip._vendor.packaging.utils import canonicalize_name

    report = tmp / "report.json"
    extra: list[str] = []
    for _ in range(5):
        pip("install", "--dry-run", "--ignore-installed", "--report", str(report),
            "--target", str(tmp / "x"), *platform_args(PYTHONS[0]), str(wheel), *extra)
        items = json.loads(report.read_text())["install"]
        names = {canonicalize_name(item["metadata"]["name"]) for item in items}
        missing = set()
        for item in items:
            for text in item["metadata"].get("requires_dist", []):
                req = Requirement(text)
                if canonicalize_name(req.name) in names:
                    continue
                if req.marker is None or any(req.marker.evaluate(marker_environment(p)) for p in PYTHONS):
                    missing.add(f"{req.name}{req.specifier}")
        if not missing:
            return [
                (item["metadata"]["name"], item["metadata"]["version"],
                 item["download_info"]["url"].rsplit("/", 1)[-1])
                for item in items
                if canonicalize_name(item["metadata"]["name"]) != "buildwise-lint"
            ]
        extra += sorted(missing)
    sys.exit(f"bundle: could not close the dependency set (still missing {sorted(missing)})")


def has_pure_wheel(pin: str, tmp: Path) -> bool:
    probe = tmp / "probe"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", "download", "--no-deps",
         "-d", str(probe), *platform_args(PYTHONS[0], "none", "py"), pin],
        capture_output=True, text=True,
    )
    return result.returncode == 0


def main() -> int:
    if not (REPO / "pyproject.toml").is_file() or not (REPO / "server" / "buildwise").is_dir():
        sys.exit(
            f"bundle_server: the .vsix bundles the buildwise server, so it is built from a checkout of the "
            f"whole repository: {CLIENT} must sit next to pyproject.toml and server/ (found no "
            f"{REPO / 'pyproject.toml'})"
        )
    if TARGET not in PIP_PLATFORMS:
        sys.exit(f"unknown BUILDWISE_VSCE_TARGET {TARGET!r}; known: {', '.join(PIP_PLATFORMS)}")
    shutil.rmtree(OUT, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        pip("wheel", "--no-deps", "-w", str(tmp / "wheel"), str(REPO))
        wheel = next((tmp / "wheel").glob("buildwise_lint-*.whl"))
        pure, abi3, per_minor = [], [], []
        for name, version, filename in resolve(wheel, tmp):
            pin = f"{name}=={version}"
            if filename.endswith("-none-any.whl") or has_pure_wheel(pin, tmp):
                pure.append(pin)  # tomli ships mypyc wheels too; its pure one runs everywhere
            elif "-abi3-" in filename:
                abi3.append(pin)
            else:
                per_minor.append(pin)
        print(f"bundle: pure {pure}\nbundle: abi3 {abi3}\nbundle: per Python {per_minor}")
        pip("install", "--no-deps", "--target", str(OUT / "libs"),
            *platform_args(PYTHONS[0], "none", "py"), *pure)
        pip("install", "--no-deps", "--target", str(OUT / "libs"), str(wheel))
        if abi3:
            pip("install", "--no-deps", "--target", str(OUT / "native" / "abi3"),
                *platform_args(PYTHONS[0], "abi3"), *abi3)
        for python in PYTHONS:
            abi = "cp" + python.replace(".", "")
            if per_minor:
                pip("install", "--no-deps", "--target", str(OUT / "native" / abi),
                    *platform_args(python, abi), *per_minor)
        for bin_dir in OUT.glob("**/bin"):
            shutil.rmtree(bin_dir)  # console scripts with this machine's shebang: not used
        manifest = {
            "platform": TARGET,
            "pythons": PYTHONS,
            "buildwise": wheel.name.split("-")[1],
            "pins": sorted(pure + abi3 + per_minor),
        }
        (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    check = subprocess.run([sys.executable, str(CLIENT / "python" / "launch.py"), "--check"],
                           capture_output=True, text=True, check=True)
    info = json.loads(check.stdout)
    size = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file()) / 1_048_576
    print(f"bundle: {OUT} ({size:.1f} MiB); launch.py --check with Python {info['python']}: "
          f"{'ok' if info['ok'] else info['problem']}")
    return 0 if info["ok"] or not sys.platform.startswith(TARGET.split("-")[0]) else 1


if __name__ == "__main__":
    sys.exit(main())
