"""Project-wide pages, accounts (allauth) and the Django admin."""

from tests.access import Family, Row, expect, signed_in

# Signed-in visitors of the sign-in and sign-up pages are sent home.
HOME_IF_SIGNED_IN = expect(302, anonymous=200)


def WITH_MFA(status):
    return dict.fromkeys(("facilitator", "organizer", "other_organizer"), status)


ROWS = [
    Row("home", expect(200)),
    Row("crisis", expect(200)),
    Row(
        "language",
        expect(302),
        method="post",
        data=lambda w: {"language": "en", "next": "/groups/"},
        note="anyone may choose the language they read",
    ),
    Row("healthz", expect(200)),
    Row("members:profile", signed_in(200)),
    # --- allauth: its own views, checked here like ours ---------------------------------
    Row("account_login", HOME_IF_SIGNED_IN),
    Row("account_signup", HOME_IF_SIGNED_IN),
    Row("account_logout", expect(200, anonymous=302)),
    Row("account_inactive", expect(200)),
    Row("account_reauthenticate", signed_in(200)),
    Row("account_email", signed_in(200)),
    Row("account_email_verification_sent", expect(200)),
    Row("account_change_password", signed_in(200)),
    Row("account_set_password", signed_in(302), note="has a password: sent to change it"),
    Row("account_reset_password", expect(200)),
    Row("account_reset_password_done", expect(200)),
    Row("account_reset_password_from_key_done", expect(200)),
    Row("account_confirm_login_code", expect(302)),
    Row("account_confirm_email", expect(200), args=lambda w: ["not-a-real-key"]),
    Row("account_reset_password_from_key", expect(200), args=lambda w: ["1", "not-a-key"]),
    Row("mfa_index", signed_in(200)),
    Row("mfa_authenticate", expect(302)),
    # The world's facilitator and organizers have an authenticator app (MFA is required).
    Row("mfa_reauthenticate", signed_in(302, **WITH_MFA(200))),
    Row("mfa_activate_totp", signed_in(302), note="asks to re-authenticate first"),
    Row(
        "mfa_deactivate_totp",
        signed_in(404, **WITH_MFA(302)),
        note="404 without an authenticator; with one, re-authenticate first",
    ),
    Row("mfa_view_recovery_codes", signed_in(404)),
    Row("mfa_generate_recovery_codes", signed_in(302), note="asks to re-authenticate first"),
    Row("mfa_download_recovery_codes", signed_in(404)),
]
for row in ROWS:
    if row.name.startswith(("account_", "mfa_")):
        row.third_party = True

FAMILIES = [
    Family(
        prefix="admin/",
        sample=Row("admin:index", expect(302, staff=200)),
        note="Django admin: staff only; everyone else is sent to allauth's sign-in",
    ),
]
