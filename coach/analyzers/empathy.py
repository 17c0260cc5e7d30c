"""PROVISIONAL placeholder, replaced by the real empathy analyser."""
from coach.context import AnalysisContext
from coach.findings import AnalyzerResult


class _Placeholder:
    name = "empathy"
    version = 0

    def analyze(self, context: AnalysisContext) -> AnalyzerResult:
        return AnalyzerResult(100.0)


analyzer = _Placeholder()
