"""Organizers create groups; facilitators and organizers edit every field."""

from __future__ import annotations

import pytest

from groups.models import PeerGroup

pytestmark = pytest.mark.django_db

GROUP_DATA = {
    "name": "Night Owls",
    "purpose": "A circle for people who work nights.",
    "objectives": "Sleep better\nFeel less alone",
    "audience": "Night-shift workers",
    "topics": "Sleep, SHIFT work , sleep,  ",
    "how_meetings_run": "Check-in, sharing, check-out.",
    "ground_rules_summary": "What is said here stays here.",
    "format": "hybrid",
    "city": "Leeds",
    "place": "Room 9, Owl House, 5 Secret Street",
    "online_link": "https://meet.jit.si/owls-private",
    "frequency": "biweekly",
    "meeting_day": "2",
    "meeting_time": "21:30",
    "duration_minutes": "90",
    "capacity": "10",
    "max_members": "",
    "reveal_location_hours_before": "",
    "language": "en",
    "time_zone": "Europe/London",
    "visibility": "listed",
    "join_policy": "approval",
    "intake_questions": "What brings you here?",
    "status": "active",
}


def create_url(world) -> str:
    return f"/orgs/{world.organisation.slug}/groups/new/"


def test_organizer_creates_a_group_with_a_slug_and_normalised_topics(client_for, world):
    client = client_for(world.users["organizer"])
    response = client.post(create_url(world), GROUP_DATA, follow=True)
    group = PeerGroup.objects.get(name="Night Owls")
    assert response.redirect_chain[-1][0] == "/groups/night-owls/"
    assert "The group is set up." in response.content.decode()
    assert group.organisation == world.organisation
    assert group.topics == ["sleep", "shift work"]
    assert group.place == "Room 9, Owl House, 5 Secret Street"
    client.post(create_url(world), GROUP_DATA)
    assert PeerGroup.objects.filter(name="Night Owls").count() == 2
    assert PeerGroup.objects.filter(slug="night-owls-2").exists()


def test_only_the_organisations_organizers_create_groups(client_for, world):
    for role in ["facilitator", "member", "other_organizer"]:
        response = client_for(world.users[role]).post(create_url(world), GROUP_DATA)
        assert response.status_code == 404
    assert not PeerGroup.objects.filter(name="Night Owls").exists()


def test_facilitator_edits_every_field_and_the_slug_stays(client_for, world):
    group = world.group
    client = client_for(world.users["facilitator"])
    url = f"/groups/{group.slug}/edit/"
    form_page = client.get(url).content.decode()
    assert "Private: meeting place and link" in form_page
    assert group.place in form_page  # the facilitator sees what they edit
    data = {**GROUP_DATA, "status": "paused", "visibility": "unlisted", "join_policy": "open"}
    response = client.post(url, data, follow=True)
    assert "The group&#x27;s details are saved." in response.content.decode()
    group.refresh_from_db()
    assert group.slug == "harbour-circle"
    assert (group.name, group.status, group.visibility, group.join_policy) == (
        "Night Owls",
        "paused",
        "unlisted",
        "open",
    )
    assert group.meeting_time.strftime("%H:%M") == "21:30" and group.meeting_day == 2
    assert group.online_link == "https://meet.jit.si/owls-private"


def test_edit_form_shows_topics_as_comma_separated_tags(client_for, world):
    world.group.topics = ["grief", "sleep"]
    world.group.save()
    body = client_for(world.users["organizer"]).get(f"/groups/{world.group.slug}/edit/")
    assert 'value="grief, sleep"' in body.content.decode()


def test_members_and_outsiders_cannot_edit_a_group(client_for, world):
    url = f"/groups/{world.group.slug}/edit/"
    for role in ["member", "on_break", "pending", "other_organizer", "outsider"]:
        assert client_for(world.users[role]).post(url, GROUP_DATA).status_code == 404
    world.group.refresh_from_db()
    assert world.group.name == "Harbour Circle"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "N" * 121, "at most 120 characters"),
        ("purpose", "p" * 5001, "at most 5000 characters"),
        ("online_link", "javascript:alert(1)", "Enter a valid URL"),
        ("capacity", "0", "greater than or equal to 1"),
        ("capacity", "99999", "less than or equal to 500"),
        ("time_zone", "Mars/Olympus", "Select a valid choice"),
        ("topics", ", ".join(f"t{n}" for n in range(13)), "at most 12 topics"),
        ("topics", "x" * 41, "at most 40 characters"),
        ("meeting_time", "25:99", "Enter a valid time"),
        ("purpose", "", "This field is required"),
    ],
)
def test_bad_group_input_is_a_form_error_and_nothing_is_lost(
    client_for, world, field, value, message
):
    client = client_for(world.users["facilitator"])
    response = client.post(f"/groups/{world.group.slug}/edit/", {**GROUP_DATA, field: value})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Night-shift workers" in body  # the rest of what they typed is still there
    world.group.refresh_from_db()
    assert world.group.name == "Harbour Circle"


def test_html_in_group_fields_is_escaped_on_every_page(client_for, client, world):
    data = {
        **GROUP_DATA,
        "name": "<script>alert('x')</script>",
        "purpose": "<img src=x onerror=alert(1)>",
        "audience": "<b>everyone</b>",
        "topics": "<i>t</i>",
    }
    client_for(world.users["facilitator"]).post(f"/groups/{world.group.slug}/edit/", data)
    for url in [world.group.get_absolute_url(), "/groups/", f"/orgs/{world.organisation.slug}/"]:
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, url
        assert "<b>everyone" not in body and "<i>t</i>" not in body, url
    body = client.get(world.group.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
