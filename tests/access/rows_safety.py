"""Safety and privacy (issue 11): data rights, support requests, concerns, debriefs, audit."""

from tests.access import Row, signed_in

ROWS = [
    Row("members:data", signed_in(200)),
    Row("members:data_export_html", signed_in(302), note="asks for the password again"),
    Row("members:data_export_json", signed_in(302), note="asks for the password again"),
    Row("members:data_export_readable_json", signed_in(302), note="asks for the password again"),
    Row("members:data_delete", signed_in(302), note="asks for the password again"),
]

ROWS += [
    # Another organisation's organizer sees nothing of this one's log.
    Row(
        "groups:audit_log",
        signed_in(404, organizer=200),
        args=lambda w: [w.organisation.slug],
        private=lambda w: {"agreement_published": {"organizer"}},
    ),
]

GROUP = lambda w: [w.group.slug]  # noqa: E731
RUNS = {"facilitator", "organizer"}
TAKING_PART = {"member": 200, "on_break": 200, "facilitator": 200}

ROWS += [
    # Members of other groups, pending people and other organisations see nothing.
    Row("groups:support_request", signed_in(404, **TAKING_PART), args=GROUP),
    Row("groups:concern_report", signed_in(404, **TAKING_PART), args=GROUP),
    Row(
        "groups:followups",
        signed_in(404, facilitator=200, organizer=200),
        args=GROUP,
        private=lambda w: {"Please call me after Thursday": RUNS, "Concern raised": RUNS},
    ),
    Row(
        "groups:support_request_handled",
        signed_in(404, facilitator=302, organizer=302),
        args=lambda w: [w.group.slug, w.support_request.pk],
        method="post",
    ),
    # The organisation's concerns: its organizers only (the other organisation's see 404).
    Row(
        "groups:concerns",
        signed_in(404, organizer=200),
        args=lambda w: [w.organisation.slug],
    ),
    # The member it is about (on_break) never sees it, nor who raised it.
    Row(
        "groups:concern",
        signed_in(404, facilitator=200, organizer=200),
        args=lambda w: [w.concern.pk],
        private=lambda w: {"They shared my story outside the group": RUNS},
    ),
]

ROWS += [
    # Debriefs are private to the group's facilitators (not even organizers).
    Row(
        "meetings:debrief",
        signed_in(404, facilitator=200),
        args=lambda w: [w.meeting.pk],
        private=lambda w: {"Someone seemed very low": {"facilitator"}},
    ),
    # Only the safeguarding lead (world.safeguarding_lead, tested in tests/safety) sees
    # escalations: no role of the matrix does, organizers included.
    Row(
        "meetings:escalations",
        signed_in(404),
        args=lambda w: [w.organisation.slug],
        private=lambda w: {"Someone seemed very low": set()},
    ),
    Row(
        "meetings:escalation_close",
        signed_in(404),
        args=lambda w: [w.debrief.pk],
        method="post",
        data=lambda w: {"outcome": "Called them; they are seeing their GP"},
    ),
]

ROWS += [
    Row(
        "groups:safeguarding_leads",
        signed_in(404, organizer=200),
        args=lambda w: [w.organisation.slug],
        private=lambda w: {"Safeguarding Lead": {"organizer"}},
    ),
]
