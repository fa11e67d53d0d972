"""Demo feedback for `manage.py seed_demo`: a year of check-in answers for past meetings
(enough people in most groups of the demo organisation for every dashboard chart to
draw, one group under the small-number threshold, one whose attendance and answers fall
over its last months), suggestions,
group and personal goals, a purpose review and a WHO-5 trend. Safe to rerun: each part
is skipped where it already exists."""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from feedback.models import (
    CheckinReceipt,
    CheckinResponse,
    GoalProgress,
    GoalReview,
    GoalReviewReceipt,
    GoalReviewResponse,
    GroupGoal,
    GroupGoalNote,
    PersonalGoal,
    Suggestion,
    SuggestionSupport,
    WellbeingCheck,
    WellbeingPlan,
)
from feedback.services import question_set_current
from groups.models import Membership, PeerGroup
from members.models import User
from sessions.models import Attendance, Meeting, Rsvp

SUGGESTIONS = [
    ("topic", "Could we talk about sleep and night shifts?", "planned", "Planned for next month."),
    ("topic", "Dealing with family expectations at the holidays", "open", ""),
    ("improvement", "Start on time, even if not everyone is there", "done", "We now start sharp."),
    ("improvement", "Move the meeting to Saturdays", "declined", "Most members prefer weekdays."),
]
COMMENTS = ["Felt lighter after tonight.", "The round went a bit long.", "Thank you all.", ""]


def _answer_share(group_index: int) -> float:
    """Most attendees answer in the first groups, fewer later; the demo groups are small,
    so single meetings stay under five answers while a year adds up to real charts."""
    return 0.8 if group_index < 3 else 0.4


@transaction.atomic
def seed_checkins() -> int:
    created = 0
    groups = PeerGroup.objects.order_by("name")
    for index, group in enumerate(groups):
        meetings = Meeting.objects.filter(group=group, ends_at__lt=timezone.now()).exclude(
            status=Meeting.Status.CANCELLED
        )
        question_set = question_set_current(organisation=group.organisation_id)
        for meeting in meetings:
            if CheckinReceipt.objects.filter(meeting=meeting).exists():
                continue
            created += _seed_meeting(meeting, question_set, _answer_share(index))
    return created


def _seed_meeting(meeting: Meeting, question_set, share: float) -> int:
    rng = random.Random(meeting.pk)
    present = list(
        Attendance.objects.filter(meeting=meeting, status="present").values_list(
            "user_id", flat=True
        )
    )
    answering = [user_id for user_id in present if rng.random() < share]
    day = timezone.localtime(meeting.starts_at, ZoneInfo(meeting.time_zone)).date()
    CheckinReceipt.objects.bulk_create(
        [CheckinReceipt(meeting=meeting, member_id=user_id) for user_id in answering]
    )
    CheckinResponse.objects.bulk_create(
        [
            CheckinResponse(
                meeting=meeting,
                question_set=question_set,
                meeting_date=day,
                ratings={q["key"]: rng.randint(5, 10) for q in question_set.questions},
                mood_before=rng.randint(1, 4),
                mood_after=rng.randint(2, 5),
                comment=rng.choice(COMMENTS),
            )
            for _ in answering
        ]
    )
    return len(answering)


@transaction.atomic
def seed_suggestions() -> int:
    created = 0
    for group in PeerGroup.objects.order_by("name")[:3]:
        if Suggestion.objects.filter(group=group).exists():
            continue
        members = list(
            Membership.objects.filter(group=group, status="active").values_list(
                "user_id", flat=True
            )
        )
        for n, (kind, text, status, reply) in enumerate(SUGGESTIONS):
            author = members[n % len(members)] if members and n % 2 else None
            suggestion = Suggestion.objects.create(
                group=group, kind=kind, text=text, status=status, reply=reply, author_id=author
            )
            SuggestionSupport.objects.bulk_create(
                [SuggestionSupport(suggestion=suggestion, member_id=m) for m in members[: n + 1]]
            )
            created += 1
    return created


@transaction.atomic
def seed_goals() -> int:
    created = 0
    today = timezone.localdate()
    for group in PeerGroup.objects.order_by("name")[:3]:
        if GroupGoal.objects.filter(group=group).exists():
            continue
        goal = GroupGoal.objects.create(
            group=group,
            title="Invite a guest speaker on managing stress",
            target_date=today + datetime.timedelta(days=60),
        )
        GroupGoalNote.objects.create(goal=goal, text="Two names suggested; asking both.")
        GroupGoal.objects.create(group=group, title="Write our welcome leaflet", status="achieved")
        created += 2
    member = User.objects.filter(email="member@example.org").first()
    if member and not PersonalGoal.objects.filter(owner=member).exists():
        goal = PersonalGoal.objects.create(
            owner=member,
            title="Walk to the harbour three mornings a week",
            measure="Three walks ticked off each week for a month",
            target_date=today + datetime.timedelta(days=30),
        )
        GoalProgress.objects.create(goal=goal, percent=40, note="Two good weeks so far.")
        created += 1
    return created


@transaction.atomic
def seed_wellbeing() -> int:
    member = User.objects.filter(email="member@example.org").first()
    if member is None or WellbeingCheck.objects.filter(member=member).exists():
        return 0
    WellbeingPlan.objects.create(member=member, interval_days=30)
    today = timezone.localdate()
    trend = [[2, 2, 3, 2, 2], [3, 2, 3, 3, 2], [3, 3, 3, 3, 3], [4, 3, 3, 4, 3], [4, 4, 3, 4, 4]]
    for months_ago, items in zip(range(len(trend), 0, -1), trend, strict=True):
        WellbeingCheck.objects.create(
            member=member,
            items=items,
            score=sum(items) * 4,
            taken_on=today - datetime.timedelta(days=30 * months_ago),
        )
    return len(trend)


@transaction.atomic
def seed_review() -> int:
    group = PeerGroup.objects.exclude(objectives="").order_by("name").first()
    if group is None or GoalReview.objects.filter(group=group).exists():
        return 0
    opened = timezone.localdate() - datetime.timedelta(days=40)
    review = GoalReview.objects.create(
        group=group,
        opened_on=opened,
        closes_on=opened + datetime.timedelta(days=21),
        objectives=group.objective_list,
    )
    rng = random.Random(review.pk)
    members = Membership.objects.filter(group=group, status="active").values_list(
        "user_id", flat=True
    )
    # Receipts, then the answers apart in one batch, as a release writes them.
    GoalReviewReceipt.objects.bulk_create(
        [GoalReviewReceipt(review=review, member_id=user_id) for user_id in members]
    )
    GoalReviewResponse.objects.bulk_create(
        [
            GoalReviewResponse(
                review=review,
                verdicts=[rng.choice(["yes", "yes", "change"]) for _ in review.objectives],
                discussions=rng.randint(3, 5),
                activities=rng.randint(2, 5),
            )
            for _user_id in members
        ]
    )
    return len(members)


@transaction.atomic
def seed_open_review() -> int:
    """A purpose review open now in a group of the demo member, which they have not
    answered: their home page shows it waiting."""
    group = (
        PeerGroup.objects.exclude(objectives="")
        .filter(memberships__user__email="member@example.org", memberships__status="active")
        .order_by("name")
        .first()
    )
    today = timezone.localdate()
    if group is None or GoalReview.objects.filter(group=group, closes_on__gte=today).exists():
        return 0
    GoalReview.objects.create(
        group=group,
        opened_on=today - datetime.timedelta(days=2),
        closes_on=today + datetime.timedelta(days=19),
        objectives=group.objective_list,
    )
    return 1


# Quiet members of the first-responders circle who never sign in (unusable passwords):
# enough people that the dashboards draw real charts for that group.
CROWD_GROUP = "first-responders-peer-circle"
CROWD = 9


@transaction.atomic
def seed_dashboard_crowd() -> int:
    group = PeerGroup.objects.filter(slug=CROWD_GROUP).first()
    if group is None or User.objects.filter(email="peer1@example.org").exists():
        return 0
    rng = random.Random(CROWD_GROUP)
    now = timezone.now()
    meetings = _held_meetings(group, now)
    question_set = question_set_current(organisation=group.organisation_id)
    marks, rsvps, receipts, answers = [], [], [], []
    for i in range(1, CROWD + 1):
        joined = now - datetime.timedelta(days=330 - i * 30)
        user = _crowd_member(group, f"peer{i}@example.org", f"Peer {i}", joined)
        # Every third newcomer drifts away after about six weeks: retention is not 100%.
        leaves = joined + datetime.timedelta(weeks=6) if i % 3 == 0 else None
        for meeting in (m for m in meetings if m.starts_at >= joined):
            came = rng.random() < 0.8 and not (leaves and meeting.starts_at > leaves)
            status = "present" if came else "absent"
            marks.append(Attendance(meeting=meeting, user=user, status=status))
            if came or rng.random() < 0.3:
                rsvps.append(Rsvp(meeting=meeting, user=user, status=Rsvp.Status.GOING))
            if came and rng.random() < 0.75:
                receipts.append(CheckinReceipt(meeting=meeting, member=user))
                answers.append(_crowd_answer(meeting, question_set, rng))
    _save_crowd(marks, rsvps, receipts, answers)
    return len(answers)


def _held_meetings(group: PeerGroup, now) -> list[Meeting]:
    """The group's meetings that have ended and were not cancelled, oldest first."""
    return list(
        Meeting.objects.filter(group=group, ends_at__lt=now)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at")
    )


def _crowd_member(group: PeerGroup, email: str, name: str, joined) -> User:
    """A quiet demo member (no password) who joined `group` at `joined`."""
    user = User(email=email, display_name=name)
    user.set_unusable_password()
    user.save()
    Membership.objects.create(group=group, user=user, status="active", joined_at=joined)
    return user


def _save_crowd(marks, rsvps, receipts, answers) -> None:
    """Write a crowd's attendance, RSVPs, check-in receipts and anonymous answers."""
    Attendance.objects.bulk_create(marks, ignore_conflicts=True)
    Rsvp.objects.bulk_create(rsvps, ignore_conflicts=True)
    CheckinReceipt.objects.bulk_create(receipts, ignore_conflicts=True)
    CheckinResponse.objects.bulk_create(answers)


def _crowd_answer(meeting: Meeting, question_set, rng: random.Random) -> CheckinResponse:
    return CheckinResponse(
        meeting=meeting,
        question_set=question_set,
        meeting_date=timezone.localtime(meeting.starts_at, ZoneInfo(meeting.time_zone)).date(),
        ratings={q["key"]: rng.randint(4, 10) for q in question_set.questions},
        mood_before=rng.randint(1, 4),
        mood_after=rng.randint(2, 5),
    )


# Every other group of the demo organisation gets quiet members and a year of meetings
# too, so the organizer's dashboard draws every group side by side: one group stays
# deliberately under the small-number threshold (three members: "not enough data"), and
# one loses members and warmth over its last months, so "needs attention" has something
# to say.
SMALL_GROUP = "bereaved-parents-circle"
FALLING_GROUP = "night-shift-check-in"
GROUP_CROWD = 10


def _falling(meeting: Meeting, now) -> float:
    """How far into the falling group's decline a meeting is: 0 until six months ago,
    1 at the latest meeting."""
    days = (now - meeting.starts_at).days
    return 0.0 if days > 180 else 1 - days / 180


@transaction.atomic
def seed_group_crowds() -> int:
    first = PeerGroup.objects.filter(slug=CROWD_GROUP).first()
    if first is None:
        return 0
    today, now = timezone.localdate(), timezone.now()
    created = 0
    groups = PeerGroup.objects.filter(
        organisation_id=first.organisation_id, status=PeerGroup.Status.ACTIVE
    )
    for group in groups.order_by("name"):
        if User.objects.filter(email=f"peer1.{group.slug}@example.org").exists():
            continue
        if group.meeting_day is not None and group.meeting_time is not None:
            _two_years_of_meetings(group, today)
        # The falling group is bigger: with attendance down, its meetings still have
        # enough answers to count, so the fall in the answers shows.
        size = {SMALL_GROUP: 3, FALLING_GROUP: 16}.get(group.slug, GROUP_CROWD)
        created += _crowd(group, now, size)
    return created


HISTORY_DAYS = 728


def _two_years_of_meetings(group: PeerGroup, today: datetime.date) -> int:
    """Past meetings back to two years ago, before the group's earliest one (or from its
    next meeting day): the headline then has a year before the default year to compare."""
    from sessions.demo import _first_date, completed_meetings_before

    earliest = Meeting.objects.filter(group=group).order_by("starts_at").first()
    if earliest is not None and earliest.starts_at < timezone.now():
        day = timezone.localtime(earliest.starts_at, ZoneInfo(group.time_zone)).date()
    else:
        day = _first_date(group, today)
    since = today - datetime.timedelta(days=HISTORY_DAYS)
    return len(completed_meetings_before(group, day, since))


def _crowd(group: PeerGroup, now, size: int) -> int:
    rng = random.Random(group.slug)
    falling = group.slug == FALLING_GROUP
    meetings = _held_meetings(group, now)
    question_set = question_set_current(organisation=group.organisation_id)
    marks, rsvps, receipts, answers = [], [], [], []
    for i in range(1, size + 1):
        # Members join over the two years: the groups grow.
        joined = now - datetime.timedelta(days=HISTORY_DAYS + 10 - i * 400 // size)
        user = _crowd_member(group, f"peer{i}.{group.slug}@example.org", f"Peer {i}", joined)
        for meeting in (m for m in meetings if m.starts_at >= joined):
            decline = _falling(meeting, now) if falling else 0.0
            came = rng.random() < 0.85 - 0.55 * decline
            marks.append(
                Attendance(meeting=meeting, user=user, status="present" if came else "absent")
            )
            if came or rng.random() < 0.3:
                rsvps.append(Rsvp(meeting=meeting, user=user, status=Rsvp.Status.GOING))
            if came and rng.random() < 0.85:
                receipts.append(CheckinReceipt(meeting=meeting, member=user))
                answer = _crowd_answer(meeting, question_set, rng)
                if decline:
                    # Felt heard (and the rest) slide by up to 6 points as the group cools.
                    answer.ratings = {
                        k: max(0, v - round(6 * decline)) for k, v in answer.ratings.items()
                    }
                    answer.mood_after = max(1, answer.mood_after - round(2 * decline))
                answers.append(answer)
    _save_crowd(marks, rsvps, receipts, answers)
    _crowd_goals(group, now, rng)
    return len(answers)


CROWD_GOALS = ["Sleep before midnight", "Walk every morning", "Call a friend each week"]


def _crowd_goals(group: PeerGroup, now, rng: random.Random) -> None:
    """Every third month, each member of the crowd sets a personal goal; most are achieved
    (fewer in the falling group's last months): the headline's "goals achieved"."""
    members = Membership.objects.filter(group=group, user__email__startswith="peer")
    goals = []
    for months_ago in range(0, HISTORY_DAYS // 30, 3):
        when = now - datetime.timedelta(days=30 * months_ago + 10)
        for membership in members:
            if membership.joined_at > when:
                continue
            late = group.slug == FALLING_GROUP and months_ago < 6
            achieved = rng.random() < (0.3 if late else 0.65)
            goals.append(
                PersonalGoal(
                    owner_id=membership.user_id,
                    title=rng.choice(CROWD_GOALS),
                    measure="Most days for a month",
                    target_date=(when + datetime.timedelta(days=45)).date(),
                    achieved_on=(when + datetime.timedelta(days=40)).date() if achieved else None,
                    created_at=when,
                )
            )
    PersonalGoal.objects.bulk_create(goals)


def seed(out) -> None:
    # The crowds first: seed_checkins then skips meetings that already have answers, and a
    # rerun finds the same attendance as the first run, so it adds nothing.
    checkins = seed_dashboard_crowd()
    checkins += seed_group_crowds()
    checkins += seed_checkins()
    suggestions = seed_suggestions()
    goals = seed_goals()
    wellbeing = seed_wellbeing()
    reviews = seed_review()
    opened = seed_open_review()
    # What beat would do by now: release the closed surveys and count the months over.
    from feedback import services
    from feedback.dashboard import units

    # Two years of meetings: more than beat's usual batch.
    services.checkin_release_due(batch=10_000)
    services.review_release_due()
    units.months_close_due()
    out.write(
        f"  {checkins} check-in answers, {suggestions} suggestions, {goals} goals, "
        f"{wellbeing} wellbeing checks, {reviews} review answers, {opened} review open now"
    )
