"""Start the bundled buildwise language server with whatever Python runs this file.

The extension ships the server and its dependencies, so the user's interpreter needs nothing installed:

    bundled/libs/          pure-Python dependencies and buildwise itself (with its knowledge base)
    bundled/native/abi3/   tree-sitter-toml (one stable-ABI wheel for every CPython >= 3.9)
    bundled/native/cp3XX/  tree-sitter, built per CPython minor version; the running one is chosen here
    bundled/manifest.json  what was bundled, for which platform

``launch.py``          serve LSP on stdio
``launch.py --check``  print one JSON line (ok, python, problem) and exit 0; the extension runs this first
                       so it can show a clear message instead of a crashed server

Without bundled/ (a development checkout) the interpreter's own installed buildwise is used.
Kept to Python 3.6 syntax so that an old interpreter gets the "too old" message, not a SyntaxError.
"""

import json
import os
import platform
import sys

MIN_PYTHON = (3, 10)
HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLED = os.path.join(os.path.dirname(HERE), "bundled")


def this_platform():
    machine = platform.machine().lower()
    machine = {"amd64": "x64", "x86_64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    system = {"linux": "linux", "darwin": "darwin", "win32": "win32"}.get(sys.platform, sys.platform)
    return system + "-" + machine


def abi_tag():
    tag = "cp%d%d" % sys.version_info[:2]
    if getattr(sys, "_is_gil_enabled", lambda: True)() is False:
        tag += "t"
    return tag


def read_manifest():
    try:
        with open(os.path.join(BUNDLED, "manifest.json"), encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def setup_path():
    """Put the bundled packages first on sys.path; return a problem sentence or None."""
    if sys.version_info[:2] < MIN_PYTHON:
        return "Python %d.%d is too old: the buildwise server needs Python %d.%d or newer" % (
            sys.version_info[:2] + MIN_PYTHON
        )
    manifest = read_manifest()
    if manifest is None:
        return None  # development checkout: use the interpreter's own buildwise
    entries = [os.path.join(BUNDLED, "libs")]
    abi3 = os.path.join(BUNDLED, "native", "abi3")
    minor = os.path.join(BUNDLED, "native", abi_tag())
    if manifest.get("platform") == this_platform():
        entries += [p for p in (minor, abi3) if os.path.isdir(p)]
    sys.path[:0] = entries
    return None


def native_hint(manifest):
    if manifest is None:
        return "install it into this interpreter: pip install <buildwise checkout or wheel>"
    if manifest.get("platform") != this_platform():
        return "this extension carries compiled parts for %s, not %s; install buildwise into the interpreter " % (
            manifest.get("platform"),
            this_platform(),
        ) + "(pip install <buildwise checkout or wheel>) or set buildwise.serverCommand"
    return "the extension bundles it for %s only; choose one of those interpreters or set " % (
        ", ".join(manifest.get("pythons", []))
    ) + "buildwise.serverCommand"


def check():
    """What the extension shows when the server cannot start here."""
    info = {"ok": False, "python": "%d.%d.%d" % sys.version_info[:3], "executable": sys.executable,
            "abi": abi_tag(), "problem": setup_path(), "bundled": read_manifest() is not None}
    if info["problem"] is None:
        try:
            import tree_sitter  # noqa: F401
            import tree_sitter_toml  # noqa: F401
        except ImportError as exc:
            info["problem"] = "Python %s (%s) cannot load the TOML parser (%s): %s" % (
                info["python"], info["abi"], exc, native_hint(read_manifest()))
    if info["problem"] is None:
        # Cheap on purpose (the server imports the rest right after): find, do not import, the LSP stack.
        import importlib.util

        try:
            import buildwise

            missing = [m for m in ("pygls", "lsprotocol", "cattrs", "attrs") if importlib.util.find_spec(m) is None]
            if missing:
                raise ImportError("no module named " + ", ".join(missing))
            info["buildwise"] = buildwise.__version__
            info["ok"] = True
        except ImportError as exc:
            info["problem"] = "buildwise cannot be imported with Python %s: %s (%s)" % (
                info["python"], exc, native_hint(read_manifest()))
    sys.stdout.write(json.dumps(info) + "\n")
    return 0


def main():
    if "--check" in sys.argv[1:]:
        return check()
    problem = setup_path()
    if problem is not None:
        sys.stderr.write("buildwise: %s\n" % problem)
        return 3
    import runpy

    sys.argv = [sys.argv[0]]
    runpy.run_module("buildwise.lsp", run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
