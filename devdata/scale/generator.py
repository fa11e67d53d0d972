"""The generator of the scale data set's rows, and `seed()`, which runs it."""

from __future__ import annotations

import datetime
import json
import math
import random
import time
import uuid
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

# Every meeting whose survey closed (7 days and an hour after it ended), as
# services.checkin_release would leave it.
from devdata.scale.copy import COLUMNS, Writer
from devdata.scale.plan import (
    ADDENDUM,
    AGREEMENT,
    CITIES,
    COMMENTS,
    EMAIL_DOMAIN,
    FUTURE_WEEKS,
    KINDS,
    NAMES,
    ORG_SLUG_PREFIX,
    PASSWORD,
    RELEASE_SQL,
    SLOTS_WEEKS,
    TOPICS,
    TOTP_SECRET,
    Plan,
    Report,
    ScaleRefused,
    refusal,
)
from devdata.scale.space import space_threads
from feedback.dashboard import figures as dashboard_figures
from feedback.dashboard import units as dashboard_units


# --- The generator ------------------------------------------------------------------------
class Generator:
    def __init__(self, plan: Plan, writer: Writer, *, seed: int = 13):
        self.plan = plan
        self.w = writer
        self.rng = random.Random(seed)
        self.now = timezone.now().replace(minute=0, second=0, microsecond=0)
        self.password = make_password(PASSWORD)
        self.orgs: list[int] = []
        self.groups: list[dict] = []
        self.organizers: list[int] = []
        self.facilitators: list[int] = []
        self.members: list[int] = []
        self.names: dict[int, str] = {}
        self.question_sets: dict[int, tuple[int, list[str]]] = {}

    def _user(self, email: str, name: str, joined: datetime.datetime) -> int:
        pk = self.w.take_id("members_user")
        self.names[pk] = name
        self.w.row(
            "members_user",
            (
                pk,
                self.password,
                False,
                False,
                True,
                joined,
                email,
                name,
                "",
                "Europe/London",
                False,
                "en",
            ),
        )
        email_pk = self.w.take_id("account_emailaddress")
        self.w.row("account_emailaddress", (email_pk, email, True, True, pk))
        return pk

    def people(self) -> None:
        p, rng = self.plan, self.rng
        start = self.now - datetime.timedelta(weeks=SLOTS_WEEKS + 8)
        for i in range(1, p.organisations + 1):
            self.organizers.append(
                self._user(f"organizer{i}@{EMAIL_DOMAIN}", f"Organizer {i}", start)
            )
        # About two facilitators for every three groups: some run two groups.
        for i in range(1, math.ceil(p.groups * 2 / 3) + 1):
            name = f"{rng.choice(NAMES)} F{i}"
            self.facilitators.append(self._user(f"facilitator{i}@{EMAIL_DOMAIN}", name, start))
        for i in range(1, p.members + 1):
            joined = start + datetime.timedelta(minutes=rng.randrange(60 * 24 * 7 * SLOTS_WEEKS))
            name = rng.choice(NAMES)
            self.members.append(self._user(f"member{i}@{EMAIL_DOMAIN}", name, joined))

    def organisations(self) -> None:
        created = self.now - datetime.timedelta(weeks=SLOTS_WEEKS + 10)
        for i in range(1, self.plan.organisations + 1):
            pk = self.w.take_id("groups_organisation")
            self.orgs.append(pk)
            self.w.row(
                "groups_organisation",
                (
                    pk,
                    f"Peer Network {i}",
                    f"{ORG_SLUG_PREFIX}org-{i}",
                    "A peer support network.",
                    f"hello@org{i}.{EMAIL_DOMAIN}",
                    "",
                    "",
                    "Samaritans: 116 123",
                    "",
                    90,
                    created,
                ),
            )
            self.w.row(
                "groups_organisationrole",
                (
                    self.w.take_id("groups_organisationrole"),
                    "organizer",
                    created,
                    pk,
                    self.organizers[i - 1],
                ),
            )

    def peer_groups(self) -> None:
        rng, p = self.rng, self.plan
        created = self.now - datetime.timedelta(weeks=SLOTS_WEEKS + 2)
        facilitator = 0
        for i in range(p.groups):
            org = self.orgs[i * p.organisations // p.groups]
            kind, audience, topics = KINDS[i % len(KINDS)]
            city = CITIES[rng.randrange(len(CITIES))]
            fmt = rng.choices(["in_person", "online", "hybrid"], weights=[6, 3, 1])[0]
            name = f"{city} {kind} {i + 1}"
            pk = self.w.take_id("groups_peergroup")
            # Every third group shares the previous group's facilitator (same organisation).
            if i % 3 != 2 or self.groups[-1]["org"] != org:
                facilitator = self.facilitators[min(len(self.facilitators) - 1, i * 2 // 3)]
            visibility = rng.choices(["listed", "unlisted", "private"], weights=[85, 10, 5])[0]
            status = rng.choices(["active", "paused", "archived"], weights=[92, 4, 4])[0]
            hour = rng.choice([10, 14, 18, 19, 20])
            group = {
                "pk": pk,
                "org": org,
                "format": fmt,
                "facilitator": facilitator,
                "day": rng.randrange(7),
                "hour": hour,
                "members": [],
                "signers": [],
            }
            self.groups.append(group)
            self.w.row(
                "groups_peergroup",
                (
                    pk,
                    name,
                    f"{slugify(name)}",
                    f"A peer support group for {audience}.",
                    "Feel less alone\nLearn from each other",
                    audience,
                    "{" + ",".join(f'"{t}"' for t in [*topics, rng.choice(TOPICS)]) + "}",
                    "Check-in round, a topic, check-out.",
                    "Confidential, respectful, on time.",
                    fmt,
                    "" if fmt == "online" else city,
                    "Community centre, room 2" if fmt != "online" else "",
                    "https://meet.example.org/" + uuid.uuid4().hex if fmt != "in_person" else "",
                    "weekly",
                    group["day"],
                    f"{hour}:00",
                    90,
                    12,
                    "en",
                    "Europe/London",
                    visibility,
                    rng.choice(["open", "approval"]),
                    "",
                    status,
                    created,
                    created,
                    org,
                ),
            )

    def memberships(self) -> None:
        """Members join one to three groups; facilitators run theirs; signers can see."""
        rng = self.rng
        joined_from = self.now - datetime.timedelta(weeks=SLOTS_WEEKS)
        for group in self.groups:
            self._membership(group, group["facilitator"], "facilitator", "active", joined_from)
        statuses = ["active", "on_break", "left", "pending", "declined"]
        for user in self.members:
            extra = (rng.random() < 0.4) + (rng.random() < 0.1)
            for group in rng.sample(self.groups, min(len(self.groups), 1 + extra)):
                status = rng.choices(statuses, weights=[85, 5, 5, 3, 2])[0]
                joined = joined_from + datetime.timedelta(days=rng.randrange(7 * SLOTS_WEEKS // 2))
                self._membership(group, user, "member", status, joined)

    def _membership(self, group, user, role, status, joined) -> None:
        break_until = (
            (self.now + datetime.timedelta(weeks=4)).date() if status == "on_break" else None
        )
        was_member = status in ("active", "on_break", "left")
        self.w.row(
            "groups_membership",
            (
                self.w.take_id("groups_membership"),
                role,
                status,
                break_until,
                "[]",
                False,
                joined if was_member else None,
                joined,
                joined,
                user,
                group["pk"],
            ),
        )
        if was_member:
            group["signers"].append((user, joined))
        if status == "active":
            group["members"].append(user)

    def agreements(self) -> None:
        from groups.models.agreements import agreement_content_hash

        published = self.now - datetime.timedelta(weeks=SLOTS_WEEKS + 1)
        for group in self.groups:
            addendum = ADDENDUM if group["format"] != "in_person" else ""
            digest = agreement_content_hash(AGREEMENT, addendum)
            version = self.w.take_id("groups_agreementversion")
            self.w.row(
                "groups_agreementversion",
                (
                    version,
                    1,
                    AGREEMENT,
                    addendum,
                    digest,
                    published,
                    group["pk"],
                    group["facilitator"],
                ),
            )
            for user, joined in group["signers"]:
                self.w.row(
                    "groups_signature",
                    (
                        self.w.take_id("groups_signature"),
                        digest,
                        self.names[user],
                        bool(addendum),
                        joined,
                        group["pk"],
                        user,
                        version,
                    ),
                )

    def question_sets_load(self) -> None:
        from feedback.services import question_set_current

        self.w.flush()  # the organisations must exist for the ORM's insert
        for org in self.orgs:
            qs = question_set_current(organisation=org)
            self.question_sets[org] = (qs.pk, [q["key"] for q in qs.questions])

    def meetings(self) -> None:
        """Each group meets on most weekly slots over two years; RSVPs, attendance and
        check-ins follow for each meeting as the real flows would leave them."""
        p, rng = self.plan, self.rng
        per_group = max(2, round(p.meetings / p.groups))
        per_group = min(per_group, SLOTS_WEEKS)
        first = self.now - datetime.timedelta(weeks=SLOTS_WEEKS - FUTURE_WEEKS)
        n_meetings = per_group * len(self.groups)
        past_share = (SLOTS_WEEKS - FUTURE_WEEKS) / SLOTS_WEEKS
        self.rsvp_mean = p.rsvps / n_meetings
        self.checkin_mean = p.checkins / (n_meetings * past_share * 0.97)
        going_on_past = p.rsvps * past_share * 0.97 * 0.8
        self.attendance_share = min(1.0, p.attendance / max(1.0, going_on_past))
        for group in self.groups:
            slots = sorted(rng.sample(range(SLOTS_WEEKS), per_group))
            day_shift = datetime.timedelta(days=group["day"], hours=group["hour"] - self.now.hour)
            for slot in slots:
                starts = first + datetime.timedelta(weeks=slot) + day_shift
                self._meeting(group, starts)

    def _meeting(self, group: dict, starts: datetime.datetime) -> None:
        rng, w = self.rng, self.w
        pk = w.take_id("meetings_meeting")
        ends = starts + datetime.timedelta(minutes=90)
        past = ends < self.now
        cancelled = rng.random() < 0.03
        status = "cancelled" if cancelled else ("completed" if past else "scheduled")
        hybrid = group["format"] == "hybrid"
        created = starts - datetime.timedelta(weeks=12)
        w.row(
            "meetings_meeting",
            (
                pk,
                starts,
                ends,
                "Europe/London",
                rng.choice(["", "", "Sleep", "Work", "Family"]),
                group["format"],
                "",
                "",
                12,
                8 if hybrid else None,
                status,
                "The facilitator is ill." if cancelled else "",
                False,
                0,
                0,
                "[]",
                0,
                created,
                created,
                group["facilitator"],
                group["pk"],
                0,
                0,
            ),
        )
        members = group["members"]
        if not members:
            return
        count = min(len(members), max(0, round(rng.gauss(self.rsvp_mean, 2))))
        replied = rng.sample(members, count)
        going = self._rsvps(pk, group, replied, created)
        if past and not cancelled:
            self._after(pk, group, starts, ends, going)

    def _rsvps(self, meeting, group, replied, created) -> list[int]:
        rng, w = self.rng, self.w
        stamp = created.isoformat()
        going: list[int] = []
        online = group["format"] == "online"
        for user in replied:
            roll = rng.random()
            status = "going" if roll < 0.8 else ("not_going" if roll < 0.92 else "waitlisted")
            if status == "going" and len(going) >= 12:
                status = "waitlisted"
            waitlisted = stamp if status == "waitlisted" else r"\N"
            confirmed = stamp if status == "going" else r"\N"
            mode = "online" if online else "in_person"
            w.line(
                "meetings_rsvp",
                f"{w.take_id('meetings_rsvp')}\t{status}\t{mode}\t{waitlisted}\t{stamp}\t{stamp}"
                f"\t{confirmed}\t{meeting}\t{user}",
            )
            if status == "going":
                going.append(user)
        return going

    def _after(self, meeting, group, starts, ends, going) -> None:
        """Attendance (on some meetings), the opened check-out, answers and receipts."""
        rng, w = self.rng, self.w
        marked_at = (ends + datetime.timedelta(minutes=10)).isoformat()
        away: set[int] = set()
        if rng.random() < self.attendance_share:
            for user in going:
                roll = rng.random()
                status = "present" if roll < 0.85 else ("absent" if roll < 0.95 else "excused")
                if status != "present":
                    away.add(user)
                w.line(
                    "meetings_attendance",
                    f"{w.take_id('meetings_attendance')}\t{status}\t{marked_at}"
                    f"\t{group['facilitator']}\t{user}\t{meeting}",
                )
        # The facilitator shows the check-out QR code in the room: active members not
        # marked absent or excused may answer.
        w.line(
            "feedback_checkoutopening",
            f"{w.take_id('feedback_checkoutopening')}\t{(ends - datetime.timedelta(minutes=5))}"
            f"\t{meeting}\t{group['facilitator']}",
        )
        can_answer = [u for u in group["members"] if u not in away]
        count = min(len(can_answer), max(0, round(rng.gauss(self.checkin_mean, 2))))
        qs_id, keys = self.question_sets[group["org"]]
        day = starts.date().isoformat()
        for user in rng.sample(can_answer, count):
            receipt = uuid.UUID(int=rng.getrandbits(128), version=4)
            w.line("feedback_checkinreceipt", f"{receipt}\t{meeting}\t{user}")
            before = rng.randint(1, 5)
            after = max(1, min(5, before + rng.choice((-1, 0, 1, 1, 2))))
            ratings = json.dumps({k: rng.randint(4, 10) for k in keys})
            comment = rng.choice(COMMENTS) if rng.random() < 0.1 else ""
            w.line(
                "feedback_checkinresponse",
                f"{uuid.UUID(int=rng.getrandbits(128), version=4)}\t{day}\t{ratings}\t{before}"
                f"\t{after}\t{comment}\t\t{meeting}\t{qs_id}",
            )

    def calendar_feeds(self) -> None:
        """A private feed for every hundredth member (and the first, for the benchmark)."""
        created = self.now - datetime.timedelta(weeks=4)
        for user in self.members[::100]:
            token = uuid.UUID(int=self.rng.getrandbits(128)).hex + uuid.uuid4().hex
            self.w.row(
                "meetings_calendarfeed",
                (self.w.take_id("meetings_calendarfeed"), token, created, user),
            )

    def authenticators(self) -> None:
        """Facilitators and organizers have an authenticator app, as our middleware requires."""
        from allauth.mfa.totp.internal.auth import TOTP

        from members.models import User

        self.w.flush()
        for user in User.objects.filter(pk__in=self.organizers + self.facilitators):
            TOTP.activate(user, TOTP_SECRET)


def seed(*, scale: float, force: bool = False, progress: Callable[[str], None] = print) -> Report:
    """Write the scale data set into the configured database (PostgreSQL)."""
    reason = refusal(force=force)
    if reason:
        raise ScaleRefused(reason)
    plan = Plan.at(scale)
    started = time.monotonic()
    columns = {table: tuple(spec.split()) for table, spec in COLUMNS.items()}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        writer = Writer(cursor.cursor, columns)
        gen = Generator(plan, writer)
        steps = [
            ("accounts", gen.people),
            ("organisations", gen.organisations),
            ("groups", gen.peer_groups),
            ("memberships", gen.memberships),
            ("agreements and signatures", gen.agreements),
            ("check-in questions", gen.question_sets_load),
            ("meetings, RSVPs, attendance, check-ins", gen.meetings),
            ("calendar feeds", gen.calendar_feeds),
            ("group-space threads", lambda: space_threads(gen)),
            ("authenticator apps", gen.authenticators),
        ]
        for label, step in steps:
            progress(f"  {label}… ({time.monotonic() - started:.0f} s)")
            step()
        writer.flush()
        writer.reset_sequences()
        # The first organisation lists its groups in meeting finders (what the bench's
        # public Meeting Guide feed serves); the others keep the default, off.
        first = [gen.orgs[0]]
        cursor.execute("UPDATE groups_organisation SET list_in_finders = true WHERE id = %s", first)
        cursor.execute(
            "UPDATE groups_peergroup SET list_in_finders = true WHERE organisation_id = %s", first
        )
        # What beat would have done: release the closed surveys (counts frozen, answers
        # summed) and count the months that are over.
        cursor.execute(RELEASE_SQL, [timezone.now()])
        cursor.execute("SELECT meeting_id FROM feedback_surveyrelease WHERE answerers > 0")
        dashboard_figures.refresh([row[0] for row in cursor.fetchall()])
        dashboard_units.months_close_due()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics: the planner sees the real sizes
    counts = dict(writer.counts.items())
    counts["feedback_questionset"] = len(gen.question_sets)
    return Report(
        counts=counts,
        seconds=time.monotonic() - started,
        accounts={
            "organizer": f"organizer1@{EMAIL_DOMAIN}",
            "facilitator": f"facilitator1@{EMAIL_DOMAIN}",
            "member": f"member1@{EMAIL_DOMAIN}",
        },
    )
