"""Permission rules for support requests and concerns."""

from groups import selectors
from peersupport.permissions import rule, signed_in


def _taking_part(user, group) -> bool:
    return signed_in(user) and selectors.takes_part(user, group)


@rule("groups.ask_support")
def ask_support(user, group) -> bool:
    """Members (also on a break) may ask their group's facilitators for more support."""
    return _taking_part(user, group)


@rule("groups.report_concern")
def report_concern(user, group) -> bool:
    return _taking_part(user, group)


@rule("groups.followups")
def followups(user, group) -> bool:
    """The group's open follow-ups and concerns: facilitators and the organisation's organizers."""
    return signed_in(user) and selectors.runs_group(user, group)


@rule("groups.triage_concern")
def triage_concern(user, concern) -> bool:
    """Those who run the group, except the person the concern is about."""
    return followups(user, concern.group) and concern.about_id != user.pk
