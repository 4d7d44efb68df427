"""The real app run with Streamlit's AppTest at one page, as a link opens it (no browser, no server)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from geo.paths import ROOT


def run_page(store, monkeypatch, page: str, **params: str) -> AppTest:
    """The app over `store` at /<page>?<params>, run once; a page that raised fails the calling test."""
    monkeypatch.setenv("TDJ_STORE", str(store))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
