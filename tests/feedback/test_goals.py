import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import GroupGoal, PersonalGoal, WellbeingCheck
from feedback.services.goals import wellbeing_signal, who5_score
from peersupport.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "items,score",
    [([0, 0, 0, 0, 0], 0), ([5, 5, 5, 5, 5], 100), ([3, 2, 4, 1, 3], 52), ([2, 2, 3, 3, 2], 48)],
)
def test_who5_score_is_raw_sum_times_four(items, score):
    assert who5_score(items) == score


@pytest.mark.parametrize("items", [[0, 0, 0, 0], [6, 0, 0, 0, 0], [-1, 0, 0, 0, 0], [1] * 6])
def test_who5_score_refuses_bad_items(items):
    with pytest.raises(DomainError):
        who5_score(items)


def test_who5_signal_low_score_and_drop():
    assert wellbeing_signal(score=50, previous=None).needs_support
    assert not wellbeing_signal(score=52, previous=None).needs_support
    assert wellbeing_signal(score=72, previous=84).needs_support  # fell 12 points
    assert not wellbeing_signal(score=76, previous=84).needs_support


def _who5(client, *items):
    return client.post(
        reverse("feedback:wellbeing"), {f"item_{i}": v for i, v in enumerate(items)}, follow=True
    )


def test_wellbeing_low_score_shows_crisis_resources_and_alerts_nobody(
    client_for, world, mailoutbox
):
    client = client_for(world.users["member"])
    page = _who5(client, 1, 2, 1, 2, 1).content.decode()
    assert "Only you can see" in page
    assert reverse("crisis") in page and "like more support" in page
    assert WellbeingCheck.objects.get().score == 28
    assert mailoutbox == []


def test_wellbeing_trend_table_and_chart(client_for, world):
    client = client_for(world.users["member"])
    _who5(client, 5, 5, 4, 4, 4)
    page = _who5(client, 4, 4, 4, 4, 4).content.decode()
    assert "<svg" in page and "2 wellbeing scores" in page
    assert 'class="chart-date"' in page
    assert "<td>88</td>" in page and "<td>80</td>" in page
    assert "fell by" not in page  # 8 points is under the drop threshold


def test_wellbeing_out_of_range_is_refused(client_for, world):
    response = _who5(client_for(world.users["member"]), 9, 0, 0, 0, 0)
    assert "Select a valid choice" in response.content.decode()
    assert not WellbeingCheck.objects.exists()


def test_wellbeing_opt_in_with_an_interval(client_for, world):
    client = client_for(world.users["member"])
    page = client.post(
        reverse("feedback:wellbeing_plan"), {"active": "on", "interval_days": "14"}, follow=True
    ).content.decode()
    assert "Every two weeks" in page


def test_personal_goal_is_private_to_its_owner(client_for, world):
    client = client_for(world.users["member"])
    target = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    client.post(
        reverse("feedback:goals"),
        {"title": "Sleep by eleven", "measure": "Five nights a week", "target_date": target},
    )
    goal = PersonalGoal.objects.get()
    assert "Sleep by eleven" in client.get(reverse("feedback:goals")).content.decode()
    for role in ("facilitator", "organizer", "staff"):
        other = client_for(world.users[role])
        assert other.get(goal.get_absolute_url()).status_code == 404
        assert "Sleep by eleven" not in other.get(reverse("feedback:goals")).content.decode()


def test_personal_goal_progress_and_achieved(client_for, world):
    goal = PersonalGoal.objects.create(
        owner=world.users["member"],
        title="Walk",
        measure="3 walks",
        target_date=timezone.localdate() + datetime.timedelta(days=9),
    )
    client = client_for(world.users["member"])
    client.post(goal.get_absolute_url(), {"percent": 40, "note": "Two walks"})
    client.post(reverse("feedback:goal_achieve", args=[goal.pk]))
    page = client.get(goal.get_absolute_url()).content.decode()
    assert "40%" in page and "Two walks" in page and "Achieved on" in page


def test_personal_goal_past_date_and_bad_percent_are_refused(client_for, world):
    client = client_for(world.users["member"])
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    page = client.post(
        reverse("feedback:goals"), {"title": "X", "measure": "Y", "target_date": past}
    ).content.decode()
    assert "from today on" in page
    assert not PersonalGoal.objects.exists()


def test_group_goal_set_by_facilitator_visible_to_members(client_for, world):
    url = reverse("feedback:group_goals", args=[world.group.slug])
    client_for(world.users["facilitator"]).post(url, {"title": "Invite a speaker"})
    goal = GroupGoal.objects.get()
    client_for(world.users["facilitator"]).post(
        reverse("feedback:group_goal_note", args=[goal.pk]),
        {"text": "Two names suggested", "status": "active"},
    )
    page = client_for(world.users["member"]).get(url).content.decode()
    assert "Invite a speaker" in page and "Two names suggested" in page
    member_post = client_for(world.users["member"]).post(url, {"title": "Mine"}, follow=True)
    assert "set by the facilitators" in member_post.content.decode()
    assert GroupGoal.objects.count() == 1


def test_wellbeing_chart_labels_never_sit_on_a_point_and_the_axis_has_dates():
    import datetime
    from types import SimpleNamespace

    from feedback.charts import wellbeing_chart

    start = datetime.date(2026, 1, 5)
    checks = [
        SimpleNamespace(score=score, taken_on=start + datetime.timedelta(weeks=i))
        for i, score in enumerate([100, 48, 52, 50, 0, 76, 84, 50, 64, 100, 12, 50])
    ]
    chart = wellbeing_chart(checks)
    radius = 5
    for point in chart["points"]:
        # Score labels end left of the plot; date labels sit below it.
        assert chart["label_x"] < point["x"] - radius
        assert chart["date_y"] - 12 > point["y"] + radius
    dates = [d["on"] for d in chart["dates"]]
    assert dates[0] == checks[0].taken_on and dates[-1] == checks[-1].taken_on
    assert 2 <= len(dates) <= 6
    xs = [d["x"] for d in chart["dates"]]
    assert all(b - a >= 60 for a, b in itertools.pairwise(xs))  # room for "12 Mar"
    assert [t["label"] for t in chart["ticks"]] == [0, 50, 100]
