"""Permission rules for support requests and concerns."""

from groups import selectors
from peersupport.permissions import has_perm, rule, signed_in_rules

signed_in_rules(
    {
        # Members (also on a break) may ask their group's facilitators for more support.
        "groups.ask_support": selectors.takes_part,
        "groups.report_concern": selectors.takes_part,
        # The group's open follow-ups and concerns: facilitators and the organisation's
        # organizers.
        "groups.followups": selectors.runs_group,
    }
)


@rule("groups.triage_concern")
def triage_concern(user, concern) -> bool:
    """Those who run the group, except the person the concern is about."""
    return has_perm(user, "groups.followups", concern.group) and concern.about_id != user.pk
