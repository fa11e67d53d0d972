import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from feedback.models import CheckinResponse, PersonalGoal, Suggestion, WellbeingCheck

pytestmark = pytest.mark.django_db


def test_feedback_demo_has_a_year_of_answers_some_under_five_and_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    counts = (
        CheckinResponse.objects.count(),
        Suggestion.objects.count(),
        PersonalGoal.objects.count(),
        WellbeingCheck.objects.count(),
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert counts == (
        CheckinResponse.objects.count(),
        Suggestion.objects.count(),
        PersonalGoal.objects.count(),
        WellbeingCheck.objects.count(),
    )
    # Demo groups are small: single meetings fall under the five-answer cut, while a
    # group's year (what the dashboards aggregate over periods) is well above it.
    per_meeting = CheckinResponse.objects.values("meeting").annotate(n=Count("id"))
    per_group = CheckinResponse.objects.values("meeting__group").annotate(n=Count("id"))
    assert any(row["n"] < 5 for row in per_meeting)
    assert any(row["n"] >= 30 for row in per_group)
    assert all(count > 0 for count in counts)
