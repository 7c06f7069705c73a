"""What a log says about where it came from: installer, pip version, Python, platform, distro, and which
package (and version) each part of the log belongs to.

Fed one line at a time; everything kept is bounded (a name -> version table capped at
:data:`MAX_PACKAGES` entries, a few strings), so a log of any size fits.
"""

from __future__ import annotations

import re

from buildwise.explain.environment import normalize_platform, normalize_python
from buildwise.knowledge import normalize_name

MAX_PACKAGES = 2000

_PIP_USING = re.compile(r"(?:Using pip|^pip) (?P<pip>\d[\w.]*) from .*\(python (?P<py>\d\.\d+t?)\)")
_PIP_OLD = re.compile(r"You are using pip version (?P<pip>\d[\w.]*)")
_PIP_NOTICE = re.compile(r"A new release of pip(?: is)? available: (?P<pip>\d[\w.]*) ->")
_UV_USING = re.compile(
    r"Using (?:CPython|Python|PyPy) (?P<py>3\.\d+)(?:\.\d+)?\S*(?P<t>t)?\S* "
    r"(?:interpreter|environment) at: ?(?P<path>.*)"
)
_PY_FROM_PATH = (
    # (regex, rank): lower rank = more trustworthy. Python 2 counts too: explain reads old logs.
    (re.compile(r"^Python (?P<dot>[23]\.\d{1,2})\.\d+\S*(?: \(|\s*$)"), 1),  # python -V / -VV
    (
        re.compile(
            r"\b(?:lib|temp|bdist)\.[a-z][\w.-]*?-(?:cpython-(?P<cp>3\d{1,2}t?)|(?P<dot>[23]\.\d{1,2}))(?![\d])"
        ),
        2,
    ),
    (re.compile(r"--python-tag (?P<cp>cp[23]\d{1,2})\b"), 2),
    (re.compile(r"[/\\]include[/\\]python(?P<dot>[23]\.\d{1,2}t?)"), 3),
    (
        re.compile(
            r"\bpython(?P<dot>[23]\.\d{1,2}t?)[/\\](?:site-packages|dist-packages|importlib|distutils|lib-dynload)"
        ),
        3,
    ),
    # A wheel pip chose for this interpreter: "numpy-2.1.1-cp312-cp312-macosx_14_0_arm64.whl".
    (re.compile(r"-(?P<cp>cp3\d{1,2}t?)-(?P=cp)[dmu]*-[\w.]+\.whl\b"), 3),
    (re.compile(r"[/\\]Python(?P<cp>[23]\d{1,2})(?:-32)?[/\\]", re.IGNORECASE), 4),
    (re.compile(r"\.cpython-(?P<cp>3\d{1,2}t?)-"), 4),
)
#: The platform of a wheel pip chose ("-cp36-abi3-musllinux_1_1_x86_64.whl"), and the platform string
#: Python itself prints (cryptography's "platform: Linux-5.10.103-v7+-armv7l-with-debian-10.13").
_PLATFORM_FROM_WHEEL = re.compile(
    r"-(?:cp3\d{1,2}t?|abi3|none)-(?P<plat>(?:win|macosx|manylinux|musllinux|linux)[\w]*?)(?:\.[\w.]+)?\.whl\b"
)
_PLATFORM_STRING = re.compile(
    r"\bplatform: (?P<os>Linux|Darwin|Windows)-\S*?-(?P<arch>x86_64|aarch64|armv[67]l|i686|AMD64|arm64)\b"
)
_PLATFORM_BUILD_DIR = re.compile(
    r"\b(?:lib|temp|bdist)\.(?P<plat>(?:linux|macosx|win)[\w.-]*?)-(?:cpython-3|3\.)\d|"
    r"\b(?:bdist|build)[/\\](?:lib|temp)\.(?P<plat2>win-\w+|linux-\w+|macosx-[\d.]+-\w+)"
)
_MESON_PROJECT_VERSION = re.compile(r"^\s*Project version: (?P<ver>\d[\w.!+]*)\s*$")
#: A setup.py that announces what it builds: lxml's "Building lxml version 4.9.4."
_SETUP_VERSION = re.compile(r"^\s*Building (?P<name>[A-Za-z0-9][\w.-]*) version (?P<ver>\d[\w.!+]*?)\.?\s*$")
_MESON_CPU = re.compile(r"Host machine cpu(?: family)?: (?P<cpu>\w+)")
_WINDOWS_HINT = re.compile(
    r"\b[A-Z]:\\|\bcl\.exe\b|MSVC|Visual Studio|Microsoft Visual C\+\+|\\AppData\\|WinError"
)
_MAC_HINT = re.compile(
    r"/Library/Frameworks/Python|/private/var/folders/|/opt/homebrew/|Apple clang|xcrun|macosx-"
)
# Not "musllinux": glibc machines download multi-tagged wheels whose names contain it.
_MUSL_HINT = re.compile(r"-alpine-linux-musl|Alpine Linux|/lib/ld-musl-")
_OS_HINTS = re.compile(
    f"(?P<windows>{_WINDOWS_HINT.pattern})|(?P<mac>{_MAC_HINT.pattern})|(?P<musl>{_MUSL_HINT.pattern})"
)
_DISTRO_HINTS = (
    (re.compile(r"\bUbuntu\b"), "ubuntu"),
    (re.compile(r"\b(?:Debian|Raspbian)\b|\+deb\d+u?\d*|/usr/lib/x86_64-linux-gnu/"), "debian"),
    (re.compile(r"\bRed Hat\b|\bfc\d\d\b|\.el[789]\b|\bCentOS\b|\bRocky\b|\bFedora\b|\brhel\d"), "fedora"),
    (re.compile(r"\bAlpine\b|-alpine-linux-musl"), "alpine"),
    (re.compile(r"\bArch Linux\b|\bManjaro\b"), "arch"),
    (re.compile(r"/opt/homebrew/|/usr/local/Cellar/|Homebrew"), "homebrew"),
    (re.compile(r"[/\\](?:mini|ana)conda\d?[/\\]|[/\\]miniforge\d?[/\\]|conda-forge"), "conda-forge"),
)

#: Cheap substring gates in front of the hint regexes (most lines contain none of these).
_DISTRO_WORDS = (
    "Ubuntu", "Debian", "Raspbian", "+deb", "-linux-gnu/", "Red Hat", "fc", ".el", "CentOS", "Rocky",
    "Fedora", "rhel", "Alpine", "alpine", "Arch Linux", "Manjaro", "homebrew", "Cellar", "Homebrew",
    "conda", "miniforge",
)  # fmt: skip
_OS_WORDS = (
    ":\\", "cl.exe", "MSVC", "Visual", "AppData", "WinError", "/Library/Frameworks/", "/private/var/",
    "/opt/homebrew/", "Apple clang", "xcrun", "macosx-", "musl", "Alpine",
)  # fmt: skip
_ANY_DISTRO = re.compile("|".join(f"(?:{regex.pattern})" for regex, _ in _DISTRO_HINTS))
#: Words of every line _packages() reads; other lines skip its dozen patterns.
_PACKAGE_WORDS = re.compile(
    r"Collecting|Downloading|Using cached|Processing|Obtaining|Downloaded|File was already|Building|"
    r"Failed|failed|Running setup|Created wheel|Preparing metadata|Getting requirements|installing build|"
    r"Project version|pip-install-|pip-build-|Successfully installed|Installed \d|Resolved \d|╰─>|"
    r"Could not build|  cause: |• |Failed to fetch|version \d"
)
_SDIST = re.compile(
    r"(?:Downloading|Using cached|Processing|File was already downloaded|Obtaining|Downloaded)\s+\S*?"
    r"(?P<name>[A-Za-z0-9][A-Za-z0-9._]*(?:-[A-Za-z_][A-Za-z0-9._]*)*)-(?P<ver>\d[\w.!+]*?)"
    r"\.(?:tar\.gz|zip|tar\.bz2|tgz)\b"
)
_COLLECTING = re.compile(
    r"^\s*Collecting (?P<name>[A-Za-z0-9][\w.-]*)(?:\[[^\]]*\])?\s*"
    r"(?:===?\s*(?P<ver>\d[\w.!+]*))?(?:\s|$|,|;)"
)
_BUILDING = re.compile(
    r"(?:Building wheel for|Running setup\.py (?:install|bdist_wheel|develop) for|Created wheel for|"
    r"Preparing metadata for|Getting requirements to build wheel for|installing build dependencies for) "
    r"(?P<name>[A-Za-z0-9][\w.-]*)"
)
_PROCESSING_DIR = re.compile(
    r"^\s*(?:Processing|Obtaining) (?:file://)?(?P<path>[.~/\\]\S*|[A-Za-z]:\\\S*)\s*$"
)
_UV_BUILDING = re.compile(r"^ {0,4}Building (?P<name>[A-Za-z0-9][\w.-]*)==(?P<ver>\d[\w.!+]*)\s*$")
_FAILED_ONE = (
    re.compile(r"Failed building wheel for (?P<name>[A-Za-z0-9][\w.-]*)"),
    # poetry: "  • Installing cffi (1.15.0): Failed", "• Updating jsonnet (0.17.0 -> 0.18.0): Failed"
    re.compile(
        r"• (?:Installing|Updating|Downgrading) (?P<name>[A-Za-z0-9][\w.-]*) "
        r"\((?:\S+ -> )?(?P<ver>\d[\w.!+]*)\S*\): Failed"
    ),
    # uv before 0.5: "Caused by: Failed to fetch wheel: numpy==1.24.4", "Failed to build: fasttext==0.9.2"
    re.compile(
        r"Failed to (?:fetch wheel|download and build|build|download)s?:? "
        r"(?P<name>[A-Za-z0-9][\w.-]*)==(?P<ver>[^\s`]+)\s*$"
    ),
    re.compile(
        r"Building wheel for (?P<name>[A-Za-z0-9][\w.-]*) \([^)]*\)(?: \.\.\. |: finished with status ')error"
    ),
    re.compile(r"Running setup\.py (?:install|develop) for (?P<name>[A-Za-z0-9][\w.-]*) \.\.\. error"),
    re.compile(r"ERROR: Failed to build '(?P<name>[^']+)'"),
    re.compile(
        r"Failed to (?:download and )?build:? `(?P<name>[A-Za-z0-9][\w.-]*)(?:(?:==|\s@\s)(?P<ver>[^`\s]*))?"
    ),
)
_FAILED_MANY = (
    re.compile(r"^\s*Failed to build (?P<names>[A-Za-z0-9][\w.\- ]*)$"),
    re.compile(r"Could not build wheels for (?P<names>[A-Za-z0-9][\w.,\- ]*?)(?:,? which| \(|$)"),
    re.compile(
        r"Failed to build installable wheels for some pyproject\.toml based projects \((?P<names>[^)]+)\)"
    ),
)
_FAILED_ARROW = re.compile(r"^\s*╰─>\s*(?P<names>[A-Za-z0-9][\w.\-, ]*)$")
_TEMP_DIR = re.compile(
    r"pip-(?:install|build)-\w+[/\\](?P<name>[A-Za-z0-9][\w.-]*?)(?:_[0-9a-f]{32})?(?:[/\\'\"]|$)"
)
_SUCCESS = re.compile(r"^Successfully installed |^Installed \d+ packages? in ")
_UV_MARK = re.compile(r"^\s*(?:error|  ×) Failed to build `|^  cause: |^Resolved \d+ packages? in ")


class LogContext:
    """Facts about the log as a whole, collected line by line."""

    def __init__(self) -> None:
        self.installer: str | None = None
        self.pip_version: str | None = None
        self.python: str | None = None
        self._python_rank = 99
        self.platform: str | None = None
        self._platform_rank = 99
        self.distro: str | None = None
        self.versions: dict[str, str] = {}
        self.display: dict[str, str] = {}
        self.current: str | None = None
        self.failed: list[str] = []
        #: Packages built from a local directory (``Processing ./proj``): no index, no releases.
        self.local: set[str] = set()
        self.local_paths: dict[str, str] = {}
        self.succeeded = False
        self._windows = self._mac = self._musl = False
        self._after_arrow_header = False
        self._meson_cpu: str | None = None
        self._homebrew_arm = False
        #: Indentation of the first top-level "Collecting" line; deeper ones are pip installing
        #: build dependencies inside the build (``pip -v``) and must not change ``current``.
        self._base_indent: int | None = None

    # -- per line ------------------------------------------------------------------------------------
    def feed(self, line: str) -> None:
        if "Using " in line or "pip version" in line or "release of pip" in line or line.startswith("pip "):
            self._interpreter(line)
        if self._python_rank > 2 or self._platform_rank > 1:
            self._paths(line)
        if _PACKAGE_WORDS.search(line) or self._after_arrow_header:
            self._packages(line)
        if self.distro is None and any(map(line.__contains__, _DISTRO_WORDS)):
            m = _ANY_DISTRO.search(line)
            if m:
                self.distro = next(distro for regex, distro in _DISTRO_HINTS if regex.search(m[0]))
        self._os_hints(line)

    def _os_hints(self, line: str) -> None:
        m = _OS_HINTS.search(line) if any(map(line.__contains__, _OS_WORDS)) else None
        if m:
            self._windows = self._windows or m["windows"] is not None
            if m["mac"] is not None and not self._mac:
                self._mac = True
                self._homebrew_arm = "/opt/homebrew/" in line
            self._musl = self._musl or m["musl"] is not None

    def feed_noise(self, line: str) -> None:
        """A line that can only tell where the build ran (a compiler command line's paths)."""
        if self._python_rank > 2 or self._platform_rank > 1:
            self._paths(line)
        self._os_hints(line)

    def _set_python(self, value: str | None, rank: int) -> None:
        py = normalize_python(value) if value else None
        if py and rank < self._python_rank:
            self.python, self._python_rank = py, rank

    def _set_platform(self, value: str, rank: int) -> None:
        if rank < self._platform_rank:
            self.platform, self._platform_rank = normalize_platform(value), rank

    def _interpreter(self, line: str) -> None:
        m = _PIP_USING.search(line)
        if m:
            self.installer = self.installer or "pip"
            self.pip_version = self.pip_version or m["pip"]
            # pip < 21 printed "(python 3.1)" on CPython 3.10+ (it cut the version to 3 characters).
            if m["py"] != "3.1":
                self._set_python(m["py"], 0)
            return
        m = _PIP_OLD.search(line) or _PIP_NOTICE.search(line)
        if m:
            self.installer = self.installer or "pip"
            self.pip_version = self.pip_version or m["pip"]
            return
        m = _UV_USING.search(line)
        if m:
            self.installer = "uv"
            self._set_python(m["py"] + (m["t"] or ""), 0)
            if re.match(r"[A-Z]:\\", m["path"].strip()):
                self._windows = True

    def _paths(self, line: str) -> None:
        for regex, rank in _PY_FROM_PATH:
            if rank >= self._python_rank:
                break
            m = regex.search(line)
            if m:
                groups = m.groupdict()
                self._set_python(groups.get("dot") or groups.get("cp"), rank)
                break
        m = _PLATFORM_BUILD_DIR.search(line)
        if m:
            self._set_platform(m["plat"] or m["plat2"], 1)
            return
        if self._platform_rank <= 2:
            return
        m = _PLATFORM_FROM_WHEEL.search(line) if ".whl" in line else None
        if m and not m["plat"].startswith("any"):
            self._set_platform(m["plat"], 2)
            return
        m = _PLATFORM_STRING.search(line) if "platform: " in line else None
        if m:
            os_name = {"Linux": "linux", "Darwin": "macos", "Windows": "windows"}[m["os"]]
            self._set_platform(f"{os_name}-{m['arch']}", 2)
        elif self._platform_rank > 2:
            cpu = _MESON_CPU.search(line)
            if cpu:
                self._meson_cpu = cpu["cpu"]

    def _remember(self, name: str, version: str | None) -> str:
        key = normalize_name(name)
        if key not in self.display and len(self.display) < MAX_PACKAGES:
            self.display[key] = name
        if version and len(self.versions) < MAX_PACKAGES:
            self.versions[key] = version
        return key

    def _top_level(self, line: str, offset: int = 0) -> bool:
        indent = len(line) - len(line.lstrip()) - offset
        if self._base_indent is None:
            self._base_indent = indent
        return indent <= self._base_indent

    def _packages(self, line: str) -> None:
        m = _COLLECTING.search(line)
        if m:
            if self._top_level(line):
                self.current = self._remember(m["name"], m["ver"])
                self.installer = self.installer or "pip"
            return
        m = _SDIST.search(line)
        if m:
            if self._base_indent is None or self._top_level(line, offset=2):
                self.current = self._remember(m["name"], m["ver"])
            return
        m = _PROCESSING_DIR.search(line)
        if m:
            name = re.split(r"[/\\]", m["path"].rstrip("/\\"))[-1]
            if self._top_level(line) and name:
                self.current = self._remember(name, None)
                if len(self.local) < MAX_PACKAGES:
                    self.local.add(self.current)
                    self.local_paths[self.current] = m["path"]
            return
        m = _UV_BUILDING.search(line)
        if m:
            self.current = self._remember(m["name"], m["ver"])
            self.installer = "uv"
            return
        for regex in _FAILED_ONE:
            m = regex.search(line)
            if m:
                groups = m.groupdict()
                self._failed(m["name"], groups.get("ver"))
                if "`" in line:
                    self.installer = "uv"
                return
        if self._after_arrow_header:
            self._after_arrow_header = False
            m = _FAILED_ARROW.search(line)
            if m:
                for name in m["names"].replace(",", " ").split():
                    self._failed(name, None)
                return
        if "Failed to build installable wheels" in line:
            self._after_arrow_header = True
        for regex in _FAILED_MANY:
            m = regex.search(line)
            if m:
                for name in m["names"].replace(",", " ").split():
                    self._failed(name, None)
                return
        m = _BUILDING.search(line)
        if m:
            self.current = self._remember(m["name"], None)
            return
        m = _SETUP_VERSION.search(line)
        if m and self.current == normalize_name(m["name"]) and self.current not in self.versions:
            if not self.current_local:
                self.versions[self.current] = m["ver"]
            return
        m = _MESON_PROJECT_VERSION.search(line)
        if m and self.current and self.current not in self.versions and not self.current_local:
            self.versions[self.current] = m["ver"]  # meson-python prints the version it builds
            return
        m = _TEMP_DIR.search(line)
        if m and self.current is None:
            self.current = self._remember(m["name"], None)
        if _SUCCESS.search(line):
            self.succeeded = True
        if self.installer is None and _UV_MARK.search(line):
            self.installer = "uv"

    def _failed(self, name: str, version: str | None) -> None:
        name = name.strip("'\"`")
        if "/" in name or "\\" in name:  # pip names a local project by its URL: file:///src/proj
            path = name
            name = re.split(r"[/\\]", name.rstrip("/\\"))[-1]
            self.local.add(normalize_name(name))
            self.local_paths.setdefault(normalize_name(name), path)
        key = self._remember(name, version or None)
        self.current = key
        if key not in self.failed and len(self.failed) < 100:
            self.failed.append(key)

    # -- results -----------------------------------------------------------------------------------
    def final_platform(self) -> str | None:
        """The platform the log shows, refined by OS hints when only the CPU is known."""
        if self.platform is not None:
            plat = self.platform
            if self._musl and plat.startswith("linux-") and not plat.startswith("linux-musl"):
                plat = plat.replace("linux-", "linux-musl-", 1)
            return plat
        if self._windows:
            return "windows-amd64"
        if self._mac:
            cpu = (self._meson_cpu or "").lower()
            if cpu:
                return "macos-arm64" if cpu in ("aarch64", "arm64") else "macos-x86_64"
            return "macos-arm64" if self._homebrew_arm else "macos"  # a Mac, CPU unknown
        if self._meson_cpu:
            return normalize_platform(f"{'linux-musl' if self._musl else 'linux'}-{self._meson_cpu}")
        return None

    @property
    def current_local(self) -> bool:
        return self.current in self.local

    def version_of(self, key: str | None) -> str | None:
        return self.versions.get(key) if key else None

    def display_name(self, key: str | None) -> str | None:
        return self.display.get(key, key) if key else None


__all__ = ["LogContext"]
