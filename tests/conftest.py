"""Shared pytest options and fixtures.

`--update-data` makes the data-driven runner (test_data.py) rewrite the `[out]`
sections of tests/data/*.test with the actual output; review that diff like code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def pytest_addoption(parser):
    parser.addoption("--update-data", action="store_true", default=False,
                     help="rewrite the [out] sections of tests/data/*.test with the actual output")


@pytest.fixture
def orus_cmd() -> list[str]:
    """The command line that starts `orus`: the installed launcher beside this Python, else `-m orus`."""
    launcher = Path(sys.executable).parent / "orus"
    return [str(launcher)] if launcher.exists() else [sys.executable, "-m", "orus"]


@pytest.fixture
def clean_env() -> dict:
    """The environment for a subprocess `orus`: no colour hints and no ORUSPATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("ORUSPATH", "NO_COLOR", "TERM")}
    return env

# The IR verifier runs after lowering in every test (STYLE.md section 5), also in the
# `orus` subprocesses the tests start, which inherit this environment.
os.environ.setdefault("ORUS_VERIFY", "1")
# Tests compile every program afresh and leave the user's code cache alone
# (tests/test_codecache.py turns the cache on for its own runs, in a temporary directory).
os.environ.setdefault("ORUS_NO_CACHE", "1")
