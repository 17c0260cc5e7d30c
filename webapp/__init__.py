"""Support Coach in the browser: the Streamlit pages (`app.py` routes to them).

Pages hold no analysis logic: they call `coach.analyze`, `coach.feedback.apply_suggestions`
and `report.to_dict()`, and show the result. `highlight` builds the escaped HTML; `resources`
loads the spaCy pipeline and data once per server process.
"""
