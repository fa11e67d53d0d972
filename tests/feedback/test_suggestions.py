import pytest
from django.urls import reverse

from feedback import services
from feedback.models import Suggestion, SuggestionSupport
from tests.factories import MembershipFactory, UserFactory
from tests.support import assert_constant_queries

pytestmark = pytest.mark.django_db


def _box(world):
    return reverse("feedback:suggestions", args=[world.group.slug])


def test_suggestion_anonymous_keeps_no_author(client_for, world):
    client = client_for(world.users["member"])
    response = client.post(
        _box(world),
        {"kind": "topic", "text": "Talk about sleep", "anonymous": "on"},
        follow=True,
    )
    page = response.content.decode()
    assert "Anonymous suggestions are added to the box together" in page
    assert "Talk about sleep" not in page and not Suggestion.objects.exists()
    assert services.suggestions_release_due() == 1
    assert services.suggestions_release_due() == 0
    page = client.get(_box(world)).content.decode()
    assert "Talk about sleep" in page and "anonymous" in page
    assert Suggestion.objects.get().author is None


def test_suggestion_named_shows_the_display_name(client_for, world):
    member = world.users["member"]
    client_for(member).post(_box(world), {"kind": "improvement", "text": "Start on time"})
    page = client_for(world.users["facilitator"]).get(_box(world)).content.decode()
    assert "Start on time" in page and member.display_name in page


def test_suggestion_empty_text_is_refused_and_nothing_stored(client_for, world):
    response = client_for(world.users["member"]).post(_box(world), {"kind": "topic", "text": " "})
    assert response.status_code == 200
    assert not Suggestion.objects.exists()


def test_suggestion_support_counts_once_per_member(client_for, world):
    suggestion = Suggestion.objects.create(group=world.group, kind="topic", text="Sleep")
    client = client_for(world.users["member"])
    url = reverse("feedback:suggestion_support", args=[suggestion.pk])
    client.post(url)
    again = client.post(url, follow=True)
    assert "already support" in again.content.decode()
    assert SuggestionSupport.objects.filter(suggestion=suggestion).count() == 1
    assert "1 supporter" in again.content.decode()


def test_suggestion_facilitator_marks_planned_and_members_see_reply(client_for, world):
    suggestion = Suggestion.objects.create(group=world.group, kind="topic", text="Sleep")
    client_for(world.users["facilitator"]).post(
        reverse("feedback:suggestion_respond", args=[suggestion.pk]),
        {"status": "planned", "reply": "We'll do this in March."},
    )
    page = client_for(world.users["member"]).get(_box(world)).content.decode()
    assert "Planned" in page and "We&#x27;ll do this in March." in page


def test_suggestion_members_cannot_respond(client_for, world):
    suggestion = Suggestion.objects.create(group=world.group, kind="topic", text="Sleep")
    url = reverse("feedback:suggestion_respond", args=[suggestion.pk])
    response = client_for(world.users["member"]).post(url, {"status": "declined"})
    assert response.status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.status == "open"


def test_suggestion_list_query_count_is_constant(client_for, world):
    client = client_for(world.users["member"])

    def grow():
        for n in range(6):
            author = UserFactory()
            MembershipFactory(group=world.group, user=author)
            s = Suggestion.objects.create(
                group=world.group, kind="topic", text=f"Idea {n}", author=author
            )
            SuggestionSupport.objects.create(suggestion=s, member=author)

    Suggestion.objects.create(group=world.group, kind="topic", text="First")
    assert_constant_queries(lambda: client.get(_box(world)), grow, limit=20)
