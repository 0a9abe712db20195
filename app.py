"""availcalc what-if UI (Streamlit). Layout only: every number comes from the library."""

import streamlit as st

st.set_page_config(page_title="availcalc", layout="wide")
st.title("availcalc — capacity and availability of scaled-out sending hosts")
st.info("The what-if UI is being built; the library is usable now (`import availcalc`).")
