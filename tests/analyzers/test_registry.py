"""The analyser registry: every module in coach/analyzers/ is registered under its own name."""
from __future__ import annotations

import pkgutil

import pytest

import coach.analyzers
from coach.analyzers import ANALYZER_MODULES, REGISTRY

MODULES = sorted(m.name for m in pkgutil.iter_modules(coach.analyzers.__path__) if m.name != "base")


def test_registry_lists_every_analyser_module():
    assert sorted(module.__name__.rsplit(".", 1)[1] for module in ANALYZER_MODULES) == MODULES


@pytest.mark.parametrize("module", ANALYZER_MODULES, ids=lambda m: m.__name__)
def test_registry_analyser_name_is_its_module_name(module):
    assert module.analyzer.name == module.__name__.rsplit(".", 1)[1]
    assert REGISTRY[module.analyzer.name] is module.analyzer
    assert isinstance(module.analyzer.version, int) and module.analyzer.version >= 1
