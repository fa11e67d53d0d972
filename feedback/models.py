"""Feedback and progress: check-in surveys, suggestions, purpose reviews, goals, WHO-5.

Anonymous answers (`CheckinResponse`, `GoalReviewResponse`, anonymous `Suggestion`s) are
unlinkable by construction (feedback/holding.py says why in full): when a member answers,
only the receipt (`CheckinReceipt`, `GoalReviewReceipt`: "this person has answered") is
written to the database; the answer itself waits, with no author, in the holding place
(Redis, outside the database), and when the survey closes all of a survey's answers are
written in one transaction, in random order, with random UUID keys and only the
meeting's or the review's own date (`SurveyRelease`, `GoalReview.released`). So no
answer row shares a transaction id, a position, a time or a key order with its receipt.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from groups.models import Organisation, PeerGroup
from peersupport.fields import belongs_to, person, person_or_null, unique
from sessions.models import Meeting

# The default check-in questions (0 to 10). Keys are stable; texts may be reworded. Stored
# in English and translated when shown (an organisation's own wording is shown as written).
DEFAULT_QUESTIONS = [
    {"key": "heard", "text": gettext_noop("I felt heard and respected")},
    {"key": "mattered", "text": gettext_noop("We talked about what mattered to me")},
    {"key": "method", "text": gettext_noop("The way we worked suited me")},
    {"key": "overall", "text": gettext_noop("Overall, this meeting was right for me")},
]


# --- Check-in survey ----------------------------------------------------------------------
class QuestionSet(models.Model):
    """An organisation's check-in questions. Editing makes a new version; answers keep theirs."""

    organisation = belongs_to(Organisation, "question_sets")
    version = models.PositiveIntegerField()
    questions = models.JSONField(default=list)  # [{"key": ..., "text": ...}]
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [unique(["organisation", "version"], name="question_set_version_once")]

    def __str__(self) -> str:
        return f"{self.organisation} v{self.version}"


class CheckinResponse(models.Model):
    """One anonymous answer. Deliberately: no person, no sequence, no time of answering."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="+")
    # The meeting's own local date, not the day of answering: it says nothing about who.
    meeting_date = models.DateField()
    ratings = models.JSONField(default=dict)  # {question key: 0..10}
    mood_before = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    mood_after = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    # Only when the member chose to sign their comment: their display name, as text.
    comment_signed_as = models.CharField(max_length=150, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(mood_before__gte=1, mood_before__lte=5)
                & Q(mood_after__gte=1, mood_after__lte=5),
                name="checkin_mood_in_range",
            )
        ]
        indexes = [models.Index(fields=["meeting"], name="checkin_meeting")]

    def __str__(self) -> str:
        return f"check-in for meeting {self.meeting_id}"


class SurveyRelease(models.Model):
    """A meeting whose check-in survey closed and whose answers were written, all at once.

    Written in the same transaction as the shuffled batch of answers (services
    `checkin_release`), with what the dashboards may show of the meeting from then on,
    frozen: how many answered, said going and came. A meeting is one unit of every
    dashboard figure, counted only when `answerers` reaches the small-number threshold.
    """

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    answerers = models.PositiveIntegerField()
    going = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"answers of meeting {self.meeting_id} released"


class Receipt(models.Model):
    """Only that this person has answered (`answered_for` names what), so nobody answers
    twice; the answer itself is stored apart, with nothing that links it to the person.

    A random key too: a sequence here would give the order people answered in.
    """

    answered_for = ""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = person()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"receipt {getattr(self, self.answered_for + '_id')}/{self.member_id}"


class CheckinReceipt(Receipt):
    """Who has answered the check-in for a meeting."""

    answered_for = "meeting"
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [unique(["meeting", "member"], name="checkin_once_per_member")]


class MeetingFigure(models.Model):
    """One meeting's released check-in answers, summed per question (the dashboards' input).

    An organisation's year is about 50,000 answers; summed per meeting it is a few
    thousand rows, and no JSON is parsed when the page is read (bench/README.md,
    "Dashboard at scale"). Rows are written when the survey's answers are released, in
    the same transaction (`figures.refresh`), and never change afterwards. One row per
    question key, plus the two moods under the keys in `MOODS`. The dashboards add up
    only meetings whose `answerers` reach the small-number threshold.
    """

    MOOD_BEFORE, MOOD_AFTER = "~mood_before", "~mood_after"  # "~": never a question key
    MOODS = (MOOD_BEFORE, MOOD_AFTER)

    # No index of its own: the unique (meeting, key) index below serves lookups by meeting.
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.CharField(max_length=64)
    answered = models.PositiveIntegerField()  # answers that rated this key
    total = models.PositiveIntegerField()  # sum of those ratings
    # Ratings in each of the dashboard's bands (0-2, 3-4, 5-6, 7-8, 9-10).
    band0 = models.PositiveIntegerField(default=0)
    band1 = models.PositiveIntegerField(default=0)
    band2 = models.PositiveIntegerField(default=0)
    band3 = models.PositiveIntegerField(default=0)
    band4 = models.PositiveIntegerField(default=0)
    # Answers released for this meeting (one per person: the receipts see to it).
    answerers = models.PositiveIntegerField()

    class Meta:
        constraints = [
            # Covering: the dashboards read a period's meetings' sums from the index alone.
            unique(
                ["meeting", "key"],
                name="meeting_figure_once",
                include=[
                    "answered",
                    "total",
                    *(f"band{b}" for b in range(5)),
                    "answerers",
                ],
            )
        ]

    def __str__(self) -> str:
        return f"figures of meeting {self.meeting_id}: {self.key}"


class CheckoutOpening(models.Model):
    """The facilitator opened the survey in the meeting itself (QR code on the screen)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="+")
    opened_by = person_or_null()
    opened_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"check-out open for meeting {self.meeting_id}"


# --- Suggestion box -----------------------------------------------------------------------
class Suggestion(models.Model):
    class Kind(models.TextChoices):
        TOPIC = "topic", _("A topic to talk about")
        IMPROVEMENT = "improvement", _("An idea to improve the group")

    class Status(models.TextChoices):
        OPEN = "open", _("New")
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="suggestions")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("your suggestion"), max_length=2000)
    # Empty for anonymous suggestions: nothing links them to a person.
    author = person_or_null(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    reply = models.CharField(_("short reply to members"), max_length=500, blank=True)
    created_on = models.DateField(default=timezone.localdate)

    class Meta:
        indexes = [models.Index(fields=["group", "status"], name="suggestion_group_status")]

    def __str__(self) -> str:
        return self.text[:40]


class SuggestionSupport(models.Model):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="supports")
    member = person()

    class Meta:
        constraints = [unique(["suggestion", "member"], name="support_once")]

    def __str__(self) -> str:
        return f"support {self.suggestion_id}/{self.member_id}"


# --- Purpose and goals review -------------------------------------------------------------
class GoalReviewSchedule(models.Model):
    group = models.OneToOneField(PeerGroup, on_delete=models.CASCADE, related_name="+")
    every_months = models.PositiveSmallIntegerField(
        _("ask every (months)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    next_on = models.DateField(_("next review opens on"))
    active = models.BooleanField(_("send reviews"), default=True)

    def __str__(self) -> str:
        return f"{self.group}: every {self.every_months} months"


class GoalReview(models.Model):
    """One round of the review; the objectives are copied so later edits don't shift answers."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="goal_reviews")
    opened_on = models.DateField()
    closes_on = models.DateField()
    objectives = models.JSONField(default=list)
    # Set in the transaction that writes the round's held answers, shuffled, once it closed.
    released = models.BooleanField(default=False)

    class Meta:
        constraints = [unique(["group", "opened_on"], name="one_review_per_day")]

    def __str__(self) -> str:
        return f"{self.group} review {self.opened_on}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:review_answer", args=[self.pk])


class GoalReviewResponse(models.Model):
    """Anonymous like the check-in: no person, no sequence, no time."""

    class Verdict(models.TextChoices):
        YES = "yes", _("Still right")
        CHANGE = "change", _("Needs a change")
        NO = "no", _("No longer right")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(GoalReview, on_delete=models.CASCADE, related_name="responses")
    verdicts = models.JSONField(default=list)  # one Verdict per objective, in order
    discussions = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    activities = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    what_to_change = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"review answer {self.review_id}"


class GoalReviewReceipt(Receipt):
    """Who has answered a purpose and goals review."""

    answered_for = "review"
    review = models.ForeignKey(GoalReview, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [unique(["review", "member"], name="review_once_per_member")]


# --- Participation, by group and closed month ---------------------------------------------
class GroupMonthFigure(models.Model):
    """A group's participation in one calendar month, counted once and then frozen.

    Written by beat (`dashboard.units.months_close_due`) once the month and its meetings'
    survey windows are over, never rewritten: so the counts a dashboard shows change only
    when a whole month is added, never because one person joined, left or came. Each
    count is shown only when it reaches the small-number threshold (a unit below it is
    left out of every sum), and views add whole units: two views differ by whole units.
    """

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    members = models.PositiveIntegerField(default=0)  # active or on a break when counted
    on_break = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)  # joined during the month
    came = models.PositiveIntegerField(default=0)  # different people present at a meeting
    marked = models.PositiveIntegerField(default=0)  # attendance marks of its meetings
    marked_people = models.PositiveIntegerField(default=0)  # different people marked
    present = models.PositiveIntegerField(default=0)  # of which "present"
    goal_people = models.PositiveIntegerField(default=0)  # members who set personal goals
    goals = models.PositiveIntegerField(default=0)
    goals_achieved = models.PositiveIntegerField(default=0)
    suggestions = models.JSONField(default=dict)  # {"kind:status": count}

    class Meta:
        constraints = [unique(["group", "month"], name="group_month_once")]

    def __str__(self) -> str:
        return f"{self.group_id} {self.month:%Y-%m}"


# --- Goals ----------------------------------------------------------------------------------
class PersonalGoal(models.Model):
    """Private to its owner: not even facilitators see it."""

    owner = person("personal_goals")
    title = models.CharField(_("my goal"), max_length=200)
    measure = models.CharField(_("how I will know I got there"), max_length=300)
    target_date = models.DateField(_("by when"))
    achieved_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["achieved_on", "target_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("feedback:goal_detail", args=[self.pk])


class GoalProgress(models.Model):
    goal = models.ForeignKey(PersonalGoal, on_delete=models.CASCADE, related_name="progress")
    percent = models.PositiveSmallIntegerField(
        _("how far along (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.percent}%"


class GroupGoal(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Working on it")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Set aside")

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="group_goals")
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("what success looks like"), blank=True)
    target_date = models.DateField(_("by when"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_by = person_or_null()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["status", "target_date", "pk"]

    def __str__(self) -> str:
        return self.title


class GroupGoalNote(models.Model):
    """Progress noted when the goal was reviewed, usually at a meeting."""

    goal = models.ForeignKey(GroupGoal, on_delete=models.CASCADE, related_name="notes")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.CharField(_("progress note"), max_length=500)
    author = person_or_null()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:40]


# --- WHO-5 wellbeing ----------------------------------------------------------------------
class WellbeingPlan(models.Model):
    """The member's opt-in and chosen interval. No row, or `active` off: never asked."""

    class Interval(models.IntegerChoices):
        TWO_WEEKS = 14, _("Every two weeks")
        MONTH = 30, _("Every month")
        QUARTER = 90, _("Every three months")

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    active = models.BooleanField(_("I'd like a regular wellbeing check"), default=True)
    interval_days = models.PositiveSmallIntegerField(
        _("how often"), choices=Interval.choices, default=Interval.MONTH
    )

    def __str__(self) -> str:
        return f"wellbeing plan of {self.member_id}"


class WellbeingCheck(models.Model):
    """One WHO-5 answer: five items 0..5, kept as given; the score is raw sum times 4."""

    member = person()
    items = models.JSONField()  # five integers 0..5
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    taken_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["taken_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="who5_score_in_range")
        ]

    def __str__(self) -> str:
        return f"WHO-5 {self.score}"
