"""Permission rules for feedback (registered in peersupport.permissions).

Anonymous answers are protected by the data model; these rules only decide who may open
a page. Finer conditions (did you attend, is the window open) are the services' to say,
with a message, because the person is inside the group and may know the meeting exists.
"""

from groups.rules import group_member_area
from groups.selectors import is_active_member, is_organizer, runs_group, takes_part
from peersupport.permissions import rule, signed_in, signed_in_rules

# Rules on a meeting: signed in, and the role named, in the meeting's group.
signed_in_rules(
    {
        # The check-in survey page: people inside the meeting's group.
        "feedback.checkin": takes_part,
        # Open the in-meeting check-out and show its QR code: who runs the group.
        "feedback.checkout": runs_group,
    },
    through="group",
)

# Rules on a group (or, for the organisation dashboard, an organisation).
signed_in_rules(
    {
        # Read the suggestion box: the member area (members, facilitators, organizers).
        "feedback.suggestions": group_member_area,
        # Add or support an idea: members taking part.
        "feedback.suggest": takes_part,
        # Mark planned / done / declined with a reply: who runs the group.
        "feedback.suggestions_manage": runs_group,
        # The purpose and goals review: active members of the group.
        "feedback.review_answer": is_active_member,
        # Set the review schedule and read aggregated results: who runs the group.
        "feedback.review_manage": runs_group,
        "feedback.group_goals": group_member_area,
        "feedback.group_goals_manage": runs_group,
        # One group's dashboard: its facilitators, and organizers of its organisation.
        "feedback.dashboard_group": runs_group,
        # Dashboards across an organisation's groups: its organizers only.
        "feedback.dashboard_organisation": is_organizer,
    }
)


@rule("feedback.own_goal")
def own_goal(user, goal) -> bool:
    """A personal goal is its owner's alone: not facilitators, not organizers, not staff."""
    return signed_in(user) and goal.owner_id == user.pk
