import { test } from "node:test";
import assert from "node:assert/strict";
import { requirementNameAt } from "../requirement";

test("pyproject.toml: the quoted requirement around the cursor", () => {
  const line = `    "numpy>=2; python_version >= '3.10'", 'Cython~=3.0',`;
  assert.equal(requirementNameAt(line, line.indexOf("numpy") + 2, true), "numpy");
  assert.equal(requirementNameAt(line, line.indexOf(">=2"), true), "numpy");
  assert.equal(requirementNameAt(line, line.indexOf("Cython"), true), "Cython");
  assert.equal(requirementNameAt(line, 1, true), undefined);
});

test("pyproject.toml: one-line arrays and extras", () => {
  const line = `requires = ["setuptools>=64", "pybind11[global]"]`;
  assert.equal(requirementNameAt(line, line.indexOf("pybind11") + 3, true), "pybind11");
  assert.equal(requirementNameAt(line, line.indexOf("setuptools"), true), "setuptools");
  assert.equal(requirementNameAt(line, 2, true), undefined);
});

test("requirements file: the line's requirement, not its comment or options", () => {
  assert.equal(requirementNameAt("psycopg2==2.9.9  # pinned", 3, false), "psycopg2");
  assert.equal(requirementNameAt("psycopg2==2.9.9  # pinned", 22, false), undefined);
  assert.equal(requirementNameAt("-r base.txt", 5, false), undefined);
  assert.equal(requirementNameAt("pkg @ https://example.org/pkg.whl", 1, false), "pkg");
  assert.equal(requirementNameAt("zope.interface>=5", 0, false), "zope.interface");
  assert.equal(requirementNameAt("# only a comment", 4, false), undefined);
  assert.equal(requirementNameAt("", 0, false), undefined);
});

test("Poetry and Pipfile: the key of a dependency line, not a setting", () => {
  assert.equal(requirementNameAt(`numpy = "^1.26"`, 10, true), "numpy");
  assert.equal(requirementNameAt(`psycopg2 = { version = "~2.9", optional = true }`, 30, true), "psycopg2");
  assert.equal(requirementNameAt(`"zope.interface" = "*"`, 2, true), "zope.interface");
  assert.equal(requirementNameAt(`pyyaml = "==6.0.1"`, 0, true), "pyyaml");
  assert.equal(requirementNameAt(`python = "^3.9"`, 10, true), undefined);
  assert.equal(requirementNameAt(`python_version = "3.11"`, 18, true), undefined);
  assert.equal(requirementNameAt(`name = "demo"`, 8, true), undefined);
  assert.equal(requirementNameAt(`requires = ["setuptools>=61"]`, 15, true), "setuptools");
  assert.equal(requirementNameAt(`build-backend = "poetry.core.masonry.api"`, 20, true), "poetry.core.masonry.api");
});
