"""Every test of this folder drives Chromium against a served app: marked `browser` (left out of make test-fast)."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


# Each module of this folder names its scenario in a `served` fixture (browsing.Apps.get); these come from it.
@pytest.fixture
def base_url(served):
    return served.url


@pytest.fixture
def app_store(served):
    """The scenario's store; put back as built when the test ends (for a test that writes to it; ask for it
    before `page`, so that the page is closed first)."""
    yield served.store
    served.restore()
