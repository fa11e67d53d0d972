"""Check-in surveys, check-out, suggestions, reviews, goals and WHO-5 (issue 9)."""

import datetime

from tests.access import LOGIN, Row, expect, signed_in

# Members taking part (active or on a break); the facilitator is an active member too.
TAKING_PART = expect(404, anonymous=LOGIN, member=200, on_break=200, facilitator=200)
INSIDE = expect(404, anonymous=LOGIN, member=200, on_break=200, facilitator=200, organizer=200)
RUNS = expect(404, anonymous=LOGIN, facilitator=200, organizer=200)
GOAL_TITLE = "Walk to the harbour three mornings a week"
SUGGESTION = "Could we talk about sleep after night shifts?"


def _meeting(w):
    return [w.meeting.pk]


def _group(w):
    return [w.group.slug]


def _suggestion(w):
    from feedback.models import Suggestion

    return [Suggestion.objects.create(group=w.group, kind="topic", text=SUGGESTION).pk]


def _suggestion_private(w):
    return {SUGGESTION: {"member", "on_break", "facilitator", "organizer"}}


def _review(w):
    from feedback.models import GoalReview

    today = datetime.date.today()
    review = GoalReview.objects.create(
        group=w.group,
        opened_on=today,
        closes_on=today + datetime.timedelta(days=21),
        objectives=["Share coping strategies"],
    )
    return [review.pk]


def _group_goal(w):
    from feedback.models import GroupGoal

    return [GroupGoal.objects.create(group=w.group, title="Invite a guest speaker").pk]


def _personal_goal(w):
    from feedback.models import PersonalGoal

    goal = PersonalGoal.objects.create(
        owner=w.users["member"],
        title=GOAL_TITLE,
        measure="Three walks logged each week",
        target_date=datetime.date.today() + datetime.timedelta(days=60),
    )
    return [goal.pk]


ROWS = [
    Row(
        "feedback:checkin",
        TAKING_PART,
        args=_meeting,
        note="inside the group; the page then says whether they may answer (attended, window)",
    ),
    Row("feedback:checkout", RUNS, args=_meeting),
    Row(
        "feedback:question_set",
        expect(404, anonymous=LOGIN, organizer=200),
        args=lambda w: [w.organisation.slug],
    ),
    Row("feedback:suggestions", INSIDE, args=_group, private=_suggestion_private),
    Row(
        "feedback:suggestion_support",
        expect(404, anonymous=LOGIN, member=302, on_break=302, facilitator=302),
        args=_suggestion,
        method="post",
    ),
    Row("feedback:suggestion_respond", RUNS, args=_suggestion, private=_suggestion_private),
    Row("feedback:review_schedule", RUNS, args=_group),
    Row(
        "feedback:review_send",
        expect(404, anonymous=LOGIN, facilitator=302, organizer=302),
        args=_group,
        method="post",
        note="opens a review round today; back to the schedule page with a message",
    ),
    Row(
        "feedback:review_answer",
        expect(404, anonymous=LOGIN, member=200, facilitator=200),
        args=_review,
        note="active members only (not on a break)",
    ),
    Row("feedback:group_goals", INSIDE, args=_group),
    Row("feedback:group_goal_note", RUNS, args=_group_goal),
    Row("feedback:goals", signed_in(200)),
    Row(
        "feedback:goal_detail",
        expect(404, anonymous=LOGIN, member=200),
        args=_personal_goal,
        private=lambda w: {GOAL_TITLE: {"member"}},
        note="a personal goal is its owner's alone: not facilitators, organizers or staff",
    ),
    Row(
        "feedback:goal_achieve",
        expect(404, anonymous=LOGIN, member=302),
        args=_personal_goal,
        method="post",
    ),
    Row("feedback:wellbeing", signed_in(200)),
    Row(
        "feedback:wellbeing_plan",
        signed_in(302),
        method="post",
        data=lambda w: {"active": "on", "interval_days": "30"},
    ),
]
