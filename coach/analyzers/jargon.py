"""PROVISIONAL placeholder, replaced by the real jargon analyser."""
from coach.context import AnalysisContext
from coach.findings import AnalyzerResult


class _Placeholder:
    name = "jargon"
    version = 0

    def analyze(self, context: AnalysisContext) -> AnalyzerResult:
        return AnalyzerResult(100.0)


analyzer = _Placeholder()
