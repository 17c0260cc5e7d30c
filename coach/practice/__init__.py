"""Role-play practice: scenario files, a simulated customer that reacts to each reply, and a debrief.

    from coach.practice import load_library, PracticeSession
    library = load_library()
    session = PracticeSession(library.get("third-outage-this-week"))
    session.reply("Hi Dan, I'm sorry ...")   # -> TurnResult with the report, goals and outcome
    session.debrief()                         # once session.finished

A scenario also gives the trainee a brief (Scenario.brief); coach.practice.path follows a trainee's
first-to-best progress and picks the next scenario for their weakest skill.

Everything here is plain Python (no Streamlit); the CLI and the Practice page are front ends.
"""
from coach.practice.debrief import Debrief, build_debrief
from coach.practice.engine import PracticeSession, run_scripted
from coach.practice.scenarios import (
    BrokenScenario,
    Scenario,
    ScenarioLibrary,
    UnknownScenarioError,
    load_library,
)
from coach.practice.turns import TurnResult

__all__ = ["BrokenScenario", "Debrief", "PracticeSession", "Scenario", "ScenarioLibrary", "TurnResult",
           "UnknownScenarioError", "build_debrief", "load_library", "run_scripted"]
