"""Demo accounts for `manage.py seed_demo`: one per role, all with verified emails."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

from members.models import User

DEMO_PASSWORD = "peersupport-demo"  # noqa: S105 - published in the README on purpose
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 - published too

DEMO_ACCOUNTS = [
    # (email, display name, full name, time zone, has an authenticator)
    ("organizer@example.org", "Olivia", "Olivia Grant", "Europe/London", True),
    ("facilitator@example.org", "Frank", "Frank Moreau", "Europe/London", True),
    ("member@example.org", "Maya", "Maya Lindqvist", "Europe/London", False),
    ("newcomer@example.org", "Noah", "Noah Ellis", "America/New_York", False),
    ("onbreak@example.org", "Ben", "Ben Okafor", "Europe/London", False),
    ("other@example.org", "Tess", "Tess Romano", "Europe/Dublin", False),
    ("outsider@example.org", "Omar", "Omar Haddad", "Europe/Berlin", False),
]


def demo_user(email: str) -> User:
    return User.objects.get(email=email)


def seed(out) -> dict[str, User]:
    """Create or refresh the demo accounts; safe to run again."""
    users = {}
    for email, display_name, full_name, zone, with_mfa in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"display_name": display_name, "full_name": full_name, "time_zone": zone},
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if (
            with_mfa
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)
        users[email] = user
    out.write(f"  {len(users)} demo accounts (password: {DEMO_PASSWORD})")
    return users
