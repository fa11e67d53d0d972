"""Safety and privacy (issue 11): data rights, support requests, concerns, debriefs, audit."""

from tests.access import Row, signed_in

ROWS = [
    Row("members:data", signed_in(200)),
    Row("members:data_export_html", signed_in(302), note="asks for the password again"),
    Row("members:data_export_json", signed_in(302), note="asks for the password again"),
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
