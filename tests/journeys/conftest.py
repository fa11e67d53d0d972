"""Journeys and the accessibility crawl report their figures at the end of the run.

Tests add lines with `report(text)`; pytest prints them in its terminal summary whether
or not `-s` was given, so CI output shows the pages scanned and violations by impact.
"""

from __future__ import annotations

FIGURES: list[str] = []


def report(text: str) -> None:
    FIGURES.append(text)


def pytest_runtest_logreport(report):
    """Name each journey and how it ended, so CI output says which journeys ran and passed."""
    if "journey" not in report.keywords:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        FIGURES.append(f"{report.outcome}: {report.nodeid} ({report.duration:.0f} s)")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not FIGURES:
        return
    terminalreporter.section("browser journeys and accessibility")
    for line in FIGURES:
        terminalreporter.write_line(line)
