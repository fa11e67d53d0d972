"""Feedback dashboards: one group's page and the organisation's page, with CSV and the
printable report."""

from tests.access import LOGIN, Row, expect
from tests.access.rows_feedback import GOAL_TITLE, _personal_goal

# Who runs the group: its facilitators and the organisation's organizers.
RUNS = expect(404, anonymous=LOGIN, facilitator=200, organizer=200)
ORGANIZERS = expect(404, anonymous=LOGIN, organizer=200)


def _group_with_private_goal(w):
    # A member's personal goal exists: its title must never reach any dashboard.
    _personal_goal(w)
    return [w.group.slug]


def _org_with_private_goal(w):
    _personal_goal(w)
    return [w.organisation.slug]


def _nobody_sees_the_goal(w):
    return {GOAL_TITLE: set()}


ROWS = [
    Row(
        "feedback:group_dashboard",
        RUNS,
        args=_group_with_private_goal,
        private=_nobody_sees_the_goal,
    ),
    Row(
        "feedback:group_dashboard_csv",
        RUNS,
        args=_group_with_private_goal,
        query="period=all",
        private=_nobody_sees_the_goal,
    ),
    Row(
        "feedback:group_dashboard_report",
        RUNS,
        args=_group_with_private_goal,
        query="section=goals",
        private=_nobody_sees_the_goal,
    ),
    Row(
        "feedback:org_dashboard_report",
        ORGANIZERS,
        args=_org_with_private_goal,
        query="period=12m",
        private=_nobody_sees_the_goal,
        note="the printable report: organizers of this organisation only",
    ),
    Row(
        "feedback:org_dashboard",
        ORGANIZERS,
        args=_org_with_private_goal,
        private=_nobody_sees_the_goal,
        note="organizers of this organisation only; other organizers get 404",
    ),
    Row(
        "feedback:org_dashboard_csv",
        ORGANIZERS,
        args=_org_with_private_goal,
        query="period=3m&format=online",
        private=_nobody_sees_the_goal,
    ),
]
