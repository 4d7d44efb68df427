"""Widgets kept in the URL (views/state.url_widget), run with Streamlit's AppTest: a link's parameter sets the
widget, the widget writes the parameter back, and a user's change is never undone by a URL the browser had not
yet updated when the click left it (the « one click in two » class of defect)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page():
    import streamlit as st

    from views.state import url_widget

    url_widget(st.selectbox, "Choix", key="choix", param="choix", default="a", options=["a", "b", "c"])


def _app(**params) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=30)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def _param(at: AppTest) -> str | None:
    value = at.query_params.get("choix")
    return value[0] if isinstance(value, list) else value


def test_the_link_sets_the_widget_and_the_widget_the_link():
    at = _app(choix="c")
    assert at.selectbox[0].value == "c"
    at.selectbox[0].select("b").run()
    assert _param(at) == "b"
    at.selectbox[0].select("a").run()
    assert _param(at) is None  # the default is left out of the URL


def test_a_link_to_the_same_page_with_another_value_wins():
    at = _app()
    at.selectbox[0].select("b").run()
    at.query_params["choix"] = "c"  # an in-app link or a pasted address, same session
    at.run()
    assert at.selectbox[0].value == "c"


def test_a_users_change_wins_over_a_stale_url():
    at = _app()
    at.selectbox[0].select("b").run()
    assert _param(at) == "b"
    at.query_params.pop("choix", None)  # the browser has not applied « choix=b » when the next click leaves
    at.selectbox[0].select("c").run()
    assert at.selectbox[0].value == "c"
    assert _param(at) == "c"
