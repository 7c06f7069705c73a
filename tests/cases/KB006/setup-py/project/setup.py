# Written for this test in the way many projects write setup.py; not copied from a project.
import os

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = ["requests>=2.31", "click"]


def read_requirements(name):
    with open(os.path.join(HERE, name)) as fh:
        return [line.strip() for line in fh if line.strip() and not line.startswith("#")]


setup(
    name="cli-tool",
    packages=find_packages(),
    install_requires=BASE + read_requirements("requirements.txt"),
    extras_require={
        "docs": ["sphinx"],
        "dev": [pkg for pkg in ("pytest", "ruff")],
    },
    python_requires=">=3.10",
)
