"""One redactor for the privacy tests: its engines load once per session."""

from __future__ import annotations

import pytest

from greencart.privacy import Redactor


@pytest.fixture(scope="session")
def redactor(tmp_path_factory):
    return Redactor(tmp_path_factory.mktemp("privacy-cache")).load()
