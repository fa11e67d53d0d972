"""Safety and privacy (issue 11): data rights, support requests, concerns, debriefs, audit."""

from tests.access import Row, signed_in

ROWS = [
    Row("members:data", signed_in(200)),
    Row("members:data_export_html", signed_in(302), note="asks for the password again"),
    Row("members:data_export_json", signed_in(302), note="asks for the password again"),
    Row("members:data_delete", signed_in(302), note="asks for the password again"),
]
