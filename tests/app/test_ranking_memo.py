"""The rankings' French formatting is kept once computed (issue 24): a shared Styler is marshalled by Streamlit
once, every later session gets the same bytes as a fresh marshalling would give, and a Styler that is not shared
is marshalled afresh each time. Figures here are SYNTHETIC."""

from __future__ import annotations

import pandas as pd
from streamlit.elements import arrow
from streamlit.proto.ArrowData_pb2 import ArrowData

from views import ranking
from views.formatting import french_numbers


def _styler():
    frame = pd.DataFrame({"page": [ranking.OPEN] * 3, "code": ["62", "59", "2A"],
                          "pct": [26.6, 7.31, 0.0], "communes": [887, 648, 124]})
    return french_numbers(frame, percent=("pct",))


def _marshal(styler, place: str = "uuid-essai") -> bytes:
    proto = ArrowData()
    arrow.marshall_styler(proto, styler, place)
    return proto.SerializeToString()


def _without_uuid(data: bytes) -> bytes:
    """The marshalled table less its Styler's uuid (pandas draws one per Styler: two Stylers never share it)."""
    proto = ArrowData.FromString(data)
    proto.styler.styles = proto.styler.styles.replace(proto.styler.uuid, "")  # its CSS names it too
    proto.styler.ClearField("uuid")
    return proto.SerializeToString()


def test_a_shared_styler_is_marshalled_once_and_gives_the_same_bytes(monkeypatch):
    assert getattr(arrow.marshall_styler, "tdj_memo", False)  # installed when views.ranking is imported
    fresh = _marshal(_styler())  # not shared: Streamlit's own marshalling
    calls = []
    monkeypatch.setattr("pandas.io.formats.style.Styler._compute",  # what Streamlit's marshalling calls
                        lambda self, _real=pd.io.formats.style.Styler._compute: calls.append(1) or _real(self))
    shared = _styler()
    shared.tdj_shared = True
    # the third as on a page with one more element above the table (another default uuid): the same bytes
    first, second, third = _marshal(shared), _marshal(shared), _marshal(shared, "autre-place")
    assert first == second == third
    assert _without_uuid(first) == _without_uuid(fresh)
    assert len(calls) == 1, len(calls)
    unshared = _styler()
    _marshal(unshared), _marshal(unshared)
    assert len(calls) == 3
    assert b"26,6 %" in fresh and b"887" in fresh
