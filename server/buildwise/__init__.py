"""buildwise: find the native-build failures in a Python project before pip does."""

__version__ = "0.1.0"
