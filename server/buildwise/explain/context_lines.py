"""The lines a log shows where it came from: installer and pip version, Python, platform, distro,
and which package (and version) is being built or failed. Regexes only; :mod:`~buildwise.explain.context`
reads a log with them."""

from __future__ import annotations

import re

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
#: (a literal each line must contain, regex): the literal is a cheap test before the regex.
_FAILED_ONE = (
    ("Failed building wheel for", re.compile(r"Failed building wheel for (?P<name>[A-Za-z0-9][\w.-]*)")),
    # poetry: "  • Installing cffi (1.15.0): Failed", "• Updating jsonnet (0.17.0 -> 0.18.0): Failed"
    (
        "• ",
        re.compile(
            r"• (?:Installing|Updating|Downgrading) (?P<name>[A-Za-z0-9][\w.-]*) "
            r"\((?:\S+ -> )?(?P<ver>\d[\w.!+]*)\S*\): Failed"
        ),
    ),
    # uv before 0.5: "Caused by: Failed to fetch wheel: numpy==1.24.4", "Failed to build: fasttext==0.9.2"
    (
        "Failed to",
        re.compile(
            r"Failed to (?:fetch wheel|download and build|build|download)s?:? "
            r"(?P<name>[A-Za-z0-9][\w.-]*)==(?P<ver>[^\s`]+)\s*$"
        ),
    ),
    (
        "Building wheel for",
        re.compile(
            r"Building wheel for (?P<name>[A-Za-z0-9][\w.-]*) \([^)]*\)"
            r"(?: \.\.\. |: finished with status ')error"
        ),
    ),
    (
        "Running setup.py",
        re.compile(r"Running setup\.py (?:install|develop) for (?P<name>[A-Za-z0-9][\w.-]*) \.\.\. error"),
    ),
    ("ERROR: Failed to build '", re.compile(r"ERROR: Failed to build '(?P<name>[^']+)'")),
    (
        "Failed to",
        re.compile(
            r"Failed to (?:download and )?build:? `(?P<name>[A-Za-z0-9][\w.-]*)"
            r"(?:(?:==|\s@\s)(?P<ver>[^`\s]*))?"
        ),
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
