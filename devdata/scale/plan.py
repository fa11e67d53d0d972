"""What the scale data set holds: its sizes, names and texts, the plan for a --scale."""

from __future__ import annotations

from dataclasses import dataclass, field

# Every meeting whose survey closed (7 days and an hour after it ended), as
# services.checkin_release would leave it.

RELEASE_SQL = """
INSERT INTO feedback_surveyrelease (meeting_id, answerers, going, present)
SELECT m.id,
       (SELECT count(*) FROM feedback_checkinresponse r WHERE r.meeting_id = m.id),
       (SELECT count(*) FROM meetings_rsvp v WHERE v.meeting_id = m.id AND v.status = 'going'),
       (SELECT count(*) FROM meetings_attendance a
        WHERE a.meeting_id = m.id AND a.status = 'present')
FROM meetings_meeting m
WHERE m.ends_at < %s - interval '7 days 1 hour'
"""

EMAIL_DOMAIN = "scale.peersupport.invalid"  # .invalid: nothing can ever be mailed there
ORG_SLUG_PREFIX = "scale-"
PASSWORD = "scale-bench-password"  # noqa: S105 - published: generated data for benchmarks
TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 - the demo secret: `oathtool --totp -b JBSWY3DPEHPK3PXP`
CHUNK = 50_000  # rows per COPY

# What one unit of scale means.
FULL = {
    "organisations": 20,
    "groups": 2_000,
    "members": 100_000,
    "meetings": 150_000,
    "rsvps": 1_000_000,
    "checkins": 1_000_000,
    "attendance": 200_000,
}
SLOTS_WEEKS = 104  # meetings fall on weekly slots over two years...
FUTURE_WEEKS = 8  # ...of which the last eight are still to come

TOPICS = [
    "depression",
    "anxiety",
    "ptsd",
    "grief",
    "men",
    "first responders",
    "veterans",
    "parents",
    "loneliness",
    "burnout",
    "addiction recovery",
    "chronic pain",
]
CITIES = [
    "Leeds",
    "Bristol",
    "Manchester",
    "Glasgow",
    "Cardiff",
    "Belfast",
    "Brighton",
    "Norwich",
    "York",
    "Plymouth",
    "Aberdeen",
    "Dundee",
]
KINDS = [
    ("Men's Circle", "men who want to talk", ["men", "depression"]),
    ("First Responders Peer Group", "first responders living with PTSD", ["first responders"]),
    ("Anxiety Support", "people living with anxiety", ["anxiety"]),
    ("Grief Circle", "people who lost someone", ["grief", "loneliness"]),
    ("Veterans' Table", "veterans and their partners", ["veterans", "ptsd"]),
    ("Parents Together", "parents under strain", ["parents", "burnout"]),
    ("Recovery Circle", "people in recovery", ["addiction recovery"]),
    ("Living with Pain", "people with chronic pain", ["chronic pain", "depression"]),
]
NAMES = [
    "Alex", "Sam", "Jo", "Chris", "Robin", "Pat", "Kim", "Lee", "Ash", "Charlie",
    "Dani", "Eli", "Frankie", "Gabe", "Harper", "Izzy", "Jamie", "Kai", "Lou", "Max",
]  # fmt: skip
COMMENTS = [
    "Thank you all, I felt less alone tonight.",
    "Could we have a bit more time for the check-in round?",
    "Hard session but I'm glad I came.",
    "The new room is much better.",
    "I liked the breathing exercise at the start.",
]
AGREEMENT = (
    "What is said in the group stays in the group.\n"
    "We listen without judging and speak from our own experience.\n"
    "We don't give medical advice; peer support does not replace professional care.\n"
    "If someone is in danger, the facilitator may contact emergency services."
)
ADDENDUM = "Join from a private place where nobody else can hear the group.\nNo recordings."


class ScaleRefused(Exception):
    """The database already holds data this command must not mix with."""


@dataclass
class Plan:
    """How many of each row `seed()` writes at a given scale (small scales keep a minimum)."""

    scale: float
    organisations: int = 0
    groups: int = 0
    members: int = 0
    meetings: int = 0
    rsvps: int = 0
    checkins: int = 0
    attendance: int = 0

    @classmethod
    def at(cls, scale: float) -> Plan:
        counts = {name: max(1, round(full * scale)) for name, full in FULL.items()}
        counts["groups"] = max(2, counts["groups"])
        counts["members"] = max(40 * counts["groups"], counts["members"])
        return cls(scale=scale, **counts)


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    accounts: dict[str, str] = field(default_factory=dict)


def refusal(*, force: bool) -> str:
    """Why seed_scale must not run on this database ("" when it may)."""
    from groups.models import Organisation
    from members.models import User

    if Organisation.objects.filter(slug__startswith=ORG_SLUG_PREFIX).exists():
        return (
            "This database already holds a scale data set. Use a fresh database "
            "(dropdb / createdb, then migrate) to seed again."
        )
    foreign = (
        User.objects.exclude(email__endswith="@" + EMAIL_DOMAIN).exists()
        or Organisation.objects.exists()
    )
    if foreign and not force:
        return (
            "This database already holds other data (accounts or organisations). "
            "Seed a database of its own, or pass --force to add the scale data next to it."
        )
    return ""
