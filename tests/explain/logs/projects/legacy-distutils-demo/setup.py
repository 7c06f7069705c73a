from setuptools import setup

setup(name="legacy-distutils-demo", version="0.1.0", py_modules=["demo"])
