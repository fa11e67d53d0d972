"""Dashboard queries do not grow with meetings, RSVPs or answers (issue 10, item 9)."""

from __future__ import annotations

from django.urls import reverse

from feedback.models import GoalReview, GoalReviewResponse, Suggestion
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PeerGroupFactory,
    UserFactory,
    add_organizer,
)
from tests.feedback.dashboard_data import close_months, held, people_in
from tests.support import assert_constant_queries


def _review(group, answers: int) -> None:
    import datetime

    review = GoalReview.objects.create(
        group=group,
        opened_on=datetime.date.today() - datetime.timedelta(days=3),
        closes_on=datetime.date.today() + datetime.timedelta(days=10),
        objectives=["Feel less alone", "Learn from each other"],
        released=True,
    )
    GoalReviewResponse.objects.bulk_create(
        [
            GoalReviewResponse(
                review=review, verdicts=["yes", "change"], discussions=4, activities=3
            )
            for _ in range(answers)
        ]
    )


def test_organisation_dashboard_queries_are_constant_in_meetings_and_answers(client, db):
    org = OrganisationFactory()
    organizer = UserFactory()
    add_organizer(organizer, org)
    groups = [PeerGroupFactory(organisation=org) for _ in range(2)]
    crowds = [people_in(g, 6, joined_days_ago=150) for g in groups]
    for group, people in zip(groups, crowds, strict=True):
        held(group, people, days_ago=20)
        _review(group, 6)
    client.force_login(organizer)
    url = reverse("feedback:org_dashboard", args=[org.slug])
    csv_url = reverse("feedback:org_dashboard_csv", args=[org.slug])

    def grow():
        for group, people in zip(groups, crowds, strict=True):
            for days_ago in (35, 65, 95, 125):
                held(group, people + people_in(group, 3), days_ago=days_ago)
            Suggestion.objects.create(group=group, kind="topic", text="Sleep")
        close_months()

    def fetch():
        assert client.get(url).status_code == 200

    # 30 for the dashboard, one for the bell's unread count in the header (cold path).
    assert_constant_queries(fetch, grow, limit=31)
    # The export runs the same queries plus one audit row.
    with_csv = []
    assert_constant_queries(lambda: with_csv.append(client.get(csv_url)), lambda: None, limit=31)
    assert "Learn from each other" in with_csv[-1].content.decode()


def test_group_dashboard_queries_are_constant_in_meetings_and_answers(client, db):
    group = PeerGroupFactory()
    facilitator = UserFactory()
    people = people_in(group, 6, joined_days_ago=150)
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    held(group, people, days_ago=20)
    client.force_login(facilitator)
    url = reverse("feedback:group_dashboard", args=[group.slug])

    def grow():
        for days_ago in (35, 65, 95):
            held(group, people, days_ago=days_ago)
        _review(group, 7)
        close_months()

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        return response

    assert_constant_queries(fetch, grow, limit=30)
    assert "Feel less alone" in fetch().content.decode()
