"""Personal goals, group goals and the optional WHO-5 wellbeing check."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import (
    GoalProgress,
    GroupGoal,
    GroupGoalNote,
    PersonalGoal,
    WellbeingCheck,
    WellbeingPlan,
)
from groups.models import PeerGroup
from members.models import User
from peersupport.errors import DomainError
from sessions.models import Meeting

# WHO-5: a score at or below this, or a fall of at least DROP points, shows support options.
WHO5_LOW = 50
WHO5_DROP = 10


# --- Personal goals -------------------------------------------------------------------------
@transaction.atomic
def personal_goal_create(
    *, owner: User, title: str, measure: str, target_date: datetime.date
) -> PersonalGoal:
    if target_date < timezone.localdate():
        raise DomainError(_("Please choose a date from today on."))
    return PersonalGoal.objects.create(
        owner=owner, title=title.strip(), measure=measure.strip(), target_date=target_date
    )


@transaction.atomic
def personal_goal_progress(*, goal: PersonalGoal, percent: int, note: str = "") -> GoalProgress:
    if not 0 <= percent <= 100:
        raise DomainError(_("Progress goes from 0 to 100 percent."))
    return GoalProgress.objects.create(goal=goal, percent=percent, note=note.strip())


@transaction.atomic
def personal_goal_achieve(*, goal: PersonalGoal) -> PersonalGoal:
    """Mark achieved (once; the first date stays)."""
    if goal.achieved_on is None:
        goal.achieved_on = timezone.localdate()
        goal.save(update_fields=["achieved_on"])
    return goal


# --- Group goals ----------------------------------------------------------------------------
@transaction.atomic
def group_goal_create(
    *,
    group: PeerGroup,
    by: User,
    title: str,
    description: str = "",
    target_date: datetime.date | None = None,
) -> GroupGoal:
    return GroupGoal.objects.create(
        group=group,
        created_by=by,
        title=title.strip(),
        description=description.strip(),
        target_date=target_date,
    )


@transaction.atomic
def group_goal_note(*, goal: GroupGoal, by: User, text: str, status: str) -> GroupGoalNote:
    """A progress note from a review at a meeting; the meeting is the group's latest begun."""

    if status not in GroupGoal.Status.values:
        raise DomainError(_("Please choose a status."))
    meeting = (
        Meeting.objects.filter(group_id=goal.group_id, starts_at__lte=timezone.now())
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at")
        .first()
    )
    if goal.status != status:
        goal.status = status
        goal.save(update_fields=["status"])
    return GroupGoalNote.objects.create(goal=goal, author=by, text=text.strip(), meeting=meeting)


# --- WHO-5 ------------------------------------------------------------------------------------
def who5_score(items: list[int]) -> int:
    """The WHO-5 percentage score: five items of 0..5, raw sum (0..25) times 4."""
    if len(items) != 5 or any(not isinstance(i, int) or not 0 <= i <= 5 for i in items):
        raise DomainError(_("Please answer all five questions from 0 to 5."))
    return sum(items) * 4


@dataclass(frozen=True)
class WellbeingSignal:
    low: bool
    dropped_by: int  # points fallen since the previous check (0 when none or higher)

    @property
    def needs_support(self) -> bool:
        return self.low or self.dropped_by >= WHO5_DROP


def wellbeing_signal(*, score: int, previous: int | None) -> WellbeingSignal:
    """Shown to the member only: nothing here alerts anyone else."""
    dropped = max(0, previous - score) if previous is not None else 0
    return WellbeingSignal(low=score <= WHO5_LOW, dropped_by=dropped)


@transaction.atomic
def wellbeing_plan_set(*, member: User, active: bool, interval_days: int) -> WellbeingPlan:
    if interval_days not in WellbeingPlan.Interval.values:
        raise DomainError(_("Please choose how often."))
    plan, _created = WellbeingPlan.objects.update_or_create(
        member=member, defaults={"active": active, "interval_days": interval_days}
    )
    return plan


@transaction.atomic
def wellbeing_check_record(*, member: User, items: list[int]) -> WellbeingCheck:
    score = who5_score(items)
    return WellbeingCheck.objects.create(member=member, items=items, score=score)


def wellbeing_next_due(*, member: User) -> datetime.date | None:
    plan = WellbeingPlan.objects.filter(member=member, active=True).first()
    if plan is None:
        return None
    last = WellbeingCheck.objects.filter(member=member).order_by("-taken_on").first()
    if last is None:
        return timezone.localdate()
    return last.taken_on + datetime.timedelta(days=plan.interval_days)
