"""Support Coach: scores a support reply and coaches its writer like a mentor.

    from coach import analyze, revise
    report = analyze("Hi Sam, ...", customer_message="My wifi is down again!")
    report.to_dict()   # the coach.report/1 contract of ../shared/DESIGN.md
"""
from coach.engine import analyze, analyze_stream, revise
from coach.errors import CoachError, DataFileError, InputError
from coach.report import Report

__all__ = ["CoachError", "DataFileError", "InputError", "Report", "analyze", "analyze_stream", "revise"]
