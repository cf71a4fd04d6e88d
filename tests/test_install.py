"""Every library the readers and stages import is installed and declared, so a fresh install reads HTML too."""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Imported lazily by the optional `summarise eval` (the [eval] extra), not by reading or summarising.
EVAL_ONLY = {"rouge_score", "sumy"}
# Imported lazily by the optional Dask engine (the [dask] extra), only with `--engine dask`.
DASK_ONLY = {"dask", "distributed"}


def third_party_imports() -> set[str]:
    """Top-level names of every module the package imports that is neither its own nor the standard library's."""
    names: set[str] = set()
    for path in (ROOT / "summarise").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n != "summarise" and n not in sys.stdlib_module_names}


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower().replace("_", "-") for d in project["dependencies"]}


def test_the_package_imports_the_libraries_it_is_known_to_need():
    assert {"trafilatura", "feedparser", "sklearn", "nltk", "jinja2", "Stemmer"} <= third_party_imports()


@pytest.mark.parametrize("module", sorted(third_party_imports() - EVAL_ONLY - DASK_ONLY))
def test_each_imported_library_imports_and_is_a_declared_dependency(module):
    importlib.import_module(module)
    distributions = {d.lower().replace("_", "-") for d in importlib.metadata.packages_distributions()[module]}
    assert distributions & declared(), f"{module} comes from {distributions}, none declared in pyproject.toml"


@pytest.mark.parametrize(("module", "extra"), [*((m, "eval") for m in sorted(EVAL_ONLY)), *((m, "dask") for m in sorted(DASK_ONLY))])
def test_each_optional_library_is_imported_and_declared_in_its_extra(module, extra):
    optional = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    named = {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower().replace("_", "-") for d in optional[extra]}
    assert module in third_party_imports()
    importlib.import_module(module)
    distributions = {d.lower().replace("_", "-") for d in importlib.metadata.packages_distributions()[module]}
    assert distributions & named, f"{module} comes from {distributions}, not declared in the [{extra}] extra"


def test_html_reading_works_in_this_install():
    """jusText, which trafilatura imports, needs lxml's HTML cleaner: a separate package since lxml 5.2."""
    importlib.import_module("lxml_html_clean")
    import trafilatura

    page = (
        "<html><body><article><p>"
        + "Ferries were cancelled along the coast on Tuesday. " * 5
        + "</p></article></body></html>"
    )
    assert trafilatura.extract(page).startswith("Ferries were cancelled along the coast on Tuesday.")
    assert "lxml-html-clean" in declared()


def test_the_constraints_pin_every_declared_dependency_and_the_installed_versions():
    """constraints.txt (what CI installs with) pins each dependency, and this install is what it pins."""
    from packaging.requirements import Requirement

    pinned = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            requirement = Requirement(line)  # a pin may hold for some Pythons only ("; python_version < ...")
            if requirement.marker is None or requirement.marker.evaluate():
                (spec,) = requirement.specifier
                assert spec.operator == "==", line
                pinned[requirement.name.lower().replace("_", "-")] = spec.version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    optional = project["optional-dependencies"]
    extras = [d for d in optional["test"] + optional["eval"] + optional["dask"]
              if not d.startswith("summarise")]  # fmt: skip
    wanted = declared() | {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower().replace("_", "-") for d in extras}
    assert sorted(wanted - set(pinned)) == []
    assert {name: importlib.metadata.version(name) for name in sorted(wanted)} == {n: pinned[n] for n in sorted(wanted)}
