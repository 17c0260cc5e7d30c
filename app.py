"""Support Coach in the browser: `make run`, or `streamlit run app.py`.

Only the router: a page is one line in PAGES (the first is the landing page). Pages live in
webapp/pages/ and hold no analysis logic.
"""
import streamlit as st

PAGES = [
    st.Page("webapp/pages/check.py", title="Check a reply", icon=":material/fact_check:", default=True),
    st.Page("webapp/pages/practice.py", title="Practice", icon=":material/forum:"),
    st.Page("webapp/pages/progress.py", title="Progress", icon=":material/trending_up:"),
    st.Page("webapp/pages/team_terms.py", title="Team terms", icon=":material/menu_book:"),
    st.Page("webapp/pages/account.py", title="Account", icon=":material/account_circle:"),
]

st.set_page_config(page_title="Support Coach", page_icon=":material/support_agent:", layout="wide")
st.navigation(PAGES).run()
