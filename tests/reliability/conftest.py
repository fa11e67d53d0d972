"""Reliability suites report their figures (URLs x roles, inputs tried, requests, messages).

Each test adds to FIGURES via `report(suite, text)`; the lines are printed in pytest's
terminal summary whether or not `-s` was given, so CI output always shows them.
"""

from __future__ import annotations

from collections import defaultdict

FIGURES: dict[str, list[str]] = defaultdict(list)


def report(suite: str, text: str) -> None:
    FIGURES[suite].append(text)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    for suite, lines in FIGURES.items():
        for line in lines:
            terminalreporter.write_line(f"{suite}: {line}")
