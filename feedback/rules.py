"""Permission rules for feedback (registered in peersupport.permissions).

Anonymous answers are protected by the data model; these rules only decide who may open
a page. Finer conditions (did you attend, is the window open) are the services' to say,
with a message, because the person is inside the group and may know the meeting exists.
"""

from groups import selectors as group_selectors
from groups.rules import group_member_area
from peersupport.permissions import rule, signed_in


@rule("feedback.checkin")
def checkin(user, meeting) -> bool:
    """The check-in survey page: people inside the meeting's group."""
    return signed_in(user) and group_selectors.takes_part(user, meeting.group)


@rule("feedback.checkout")
def checkout(user, meeting) -> bool:
    """Open the in-meeting check-out and show its QR code: who runs the group."""
    return signed_in(user) and group_selectors.runs_group(user, meeting.group)


@rule("feedback.suggestions")
def suggestions(user, group) -> bool:
    """Read the suggestion box: the member area (members, facilitators, organizers)."""
    return group_member_area(user, group)


@rule("feedback.suggest")
def suggest(user, group) -> bool:
    """Add or support an idea: members taking part."""
    return signed_in(user) and group_selectors.takes_part(user, group)


@rule("feedback.suggestions_manage")
def suggestions_manage(user, group) -> bool:
    """Mark planned / done / declined with a reply: who runs the group."""
    return signed_in(user) and group_selectors.runs_group(user, group)


@rule("feedback.review_answer")
def review_answer(user, group) -> bool:
    """The purpose and goals review: active members of the group."""
    return signed_in(user) and group_selectors.is_active_member(user, group)


@rule("feedback.review_manage")
def review_manage(user, group) -> bool:
    """Set the review schedule and read aggregated results: who runs the group."""
    return signed_in(user) and group_selectors.runs_group(user, group)


@rule("feedback.group_goals")
def group_goals(user, group) -> bool:
    return group_member_area(user, group)


@rule("feedback.group_goals_manage")
def group_goals_manage(user, group) -> bool:
    return signed_in(user) and group_selectors.runs_group(user, group)


@rule("feedback.own_goal")
def own_goal(user, goal) -> bool:
    """A personal goal is its owner's alone: not facilitators, not organizers, not staff."""
    return signed_in(user) and goal.owner_id == user.pk


@rule("feedback.dashboard_group")
def dashboard_group(user, group) -> bool:
    """One group's dashboard: its facilitators, and organizers of its organisation."""
    return signed_in(user) and group_selectors.runs_group(user, group)


@rule("feedback.dashboard_organisation")
def dashboard_organisation(user, organisation) -> bool:
    """Dashboards across an organisation's groups: its organizers only."""
    return signed_in(user) and group_selectors.is_organizer(user, organisation)
