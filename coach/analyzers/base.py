"""What an analyser is: a named object that reads the shared AnalysisContext and returns a result."""
from __future__ import annotations

from typing import Protocol

from coach.context import AnalysisContext
from coach.findings import AnalyzerResult


class Analyzer(Protocol):
    name: str
    version: int

    def analyze(self, context: AnalysisContext) -> AnalyzerResult: ...
