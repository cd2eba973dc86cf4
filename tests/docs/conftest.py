"""Fixtures of the docs tests: one headless chromium per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from docs_browser import Browser

from tests.conftest import chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One chromium for the module; each test checks the records it produced."""
    instance = Browser(chromium())
    yield instance
    instance.close()
