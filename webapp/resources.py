"""What the pages share for the life of the server process: the loaded, warmed-up coach."""
from __future__ import annotations

import streamlit as st
from spacy.language import Language

import coach
from coach.nlp import load_nlp

# Touches every analyser once, with a customer message, so the glossary, rule files and matchers
# are loaded and compiled before the first agent clicks Check.
WARM_UP_REPLY = ("Hi Sam, sorry about the trouble. I reset your DNS settings and the router "
                 "was restarted. I'll check again tomorrow. Best regards, Alex")
WARM_UP_CUSTOMER = "My internet keeps dropping, this is the third time!!"


@st.cache_resource(show_spinner="Loading the language model (once per server)…")
def load_coach() -> Language:
    """The spaCy pipeline, after one warm-up analysis. Raises CoachError when it is not installed."""
    nlp = load_nlp()
    coach.analyze(WARM_UP_REPLY, customer_message=WARM_UP_CUSTOMER)
    return nlp
