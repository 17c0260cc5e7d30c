"""The registry of analysers. Adding a dimension = adding a module here and to ANALYZER_MODULES."""
from __future__ import annotations

from coach.analyzers import empathy, grammar, jargon, readability, security, tone
from coach.analyzers.base import Analyzer

ANALYZER_MODULES = (jargon, readability, tone, empathy, grammar, security)
REGISTRY: dict[str, Analyzer] = {module.analyzer.name: module.analyzer for module in ANALYZER_MODULES}
