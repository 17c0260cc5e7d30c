"""Support Coach in the browser: `make run`, or `streamlit run app.py`.

Only the router: a page is one line in PAGES (the first is the landing page). Pages live in
webapp/pages/ and hold no analysis logic.
"""
from pathlib import Path

import streamlit as st

# A local file: a ":material/..." page icon is fetched by the browser from Google's font CDN.
ICON = str(Path(__file__).parent / "webapp" / "static" / "icon.png")

PAGES = [
    st.Page("webapp/pages/check.py", title="Check a reply", icon=":material/fact_check:", default=True),
    st.Page("webapp/pages/practice.py", title="Practice", icon=":material/forum:"),
    st.Page("webapp/pages/progress.py", title="Progress", icon=":material/trending_up:"),
    st.Page("webapp/pages/team_terms.py", title="Team terms", icon=":material/menu_book:"),
    st.Page("webapp/pages/review.py", title="QA review", icon=":material/rate_review:"),
    st.Page("webapp/pages/account.py", title="Account", icon=":material/account_circle:"),
]

ABOUT = ("**Support Coach** scores a draft support reply for jargon, readability, tone, empathy, grammar and "
         "security, and suggests what to change. It runs on this server only: nothing you type leaves it.")

st.set_page_config(page_title="Support Coach", page_icon=ICON, layout="wide",
                   menu_items={"Get help": None, "Report a bug": None, "About": ABOUT})
st.navigation(PAGES).run()
