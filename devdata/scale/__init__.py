"""The scale data set: organisations, groups, members and years of meetings.

`python manage.py seed_scale` calls `seed()`. At `--scale 1` it writes 100,000 members,
2,000 groups in 20 organisations, 150,000 meetings over about two years, 1,000,000 RSVPs,
1,000,000 check-in answers with their receipts and 200,000 attendance rows, with the
memberships, agreement versions and signatures members need to see their meetings.

Rows go in with PostgreSQL COPY in chunks (psycopg2 `copy_expert`), with explicit ids
taken after the current highest one, so foreign keys can be written before the database
has seen the parent row's insert. Every constraint and index stays in place: what the app
relies on is checked on this data exactly as on real data. Everything is one transaction,
so an interrupted run leaves nothing behind.

Rows are what the real flows would write: members who signed their group's agreement,
waitlisted RSVPs with a place in line, check-in answers (no person, random UUID, the
meeting's date only, released once the window closed) with a receipt each, answered by
people marked present or, where the facilitator opened the check-out in the room, by
active members not marked absent.
"""

from devdata.scale.generator import Generator, seed
from devdata.scale.plan import (
    EMAIL_DOMAIN,
    ORG_SLUG_PREFIX,
    PASSWORD,
    TOTP_SECRET,
    Plan,
    Report,
    ScaleRefused,
    refusal,
)

__all__ = [
    "EMAIL_DOMAIN",
    "ORG_SLUG_PREFIX",
    "PASSWORD",
    "TOTP_SECRET",
    "Generator",
    "Plan",
    "Report",
    "ScaleRefused",
    "refusal",
    "seed",
]
