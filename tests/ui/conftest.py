"""AppTest fixtures: a fresh app per test, Streamlit caches cleared between tests."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    # st.cache_data is process-global: it would carry results from one AppTest to the next
    st.cache_data.clear()
    yield


def new_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


@pytest.fixture
def at() -> AppTest:
    app = new_app()
    app.run()
    assert not app.exception, app.exception
    return app
