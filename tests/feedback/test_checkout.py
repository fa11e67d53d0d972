import pytest
from django.urls import reverse

from feedback import services
from feedback.models import CheckinResponse
from tests.feedback.conftest import past_meeting_with

pytestmark = pytest.mark.django_db


def test_checkout_facilitator_opens_it_and_sees_a_qr_code(client_for, world):
    meeting = past_meeting_with(world, hours_ago=-0.5, present=())  # in progress
    client = client_for(world.users["facilitator"])
    url = reverse("feedback:checkout", args=[meeting.pk])
    assert "feedback-qr-box" not in client.get(url).content.decode()
    page = client.post(url, follow=True).content.decode()
    assert "open for everyone present" in page
    qr = page.split("feedback-qr-box", 1)[1]  # the QR code, not the menu's icons
    assert qr.lstrip('">').startswith("<svg")
    assert 'style="' not in qr.split("<svg", 1)[1].split("</svg>")[0]
    assert reverse("feedback:checkin", args=[meeting.pk]) in page


def test_checkout_lets_members_in_the_room_answer_before_attendance_is_marked(client_for, world):
    meeting = past_meeting_with(world, hours_ago=-0.5, present=())
    member = client_for(world.users["member"])
    survey = reverse("feedback:checkin", args=[meeting.pk])
    assert "for the people who came" in member.get(survey).content.decode()
    client_for(world.users["facilitator"]).post(reverse("feedback:checkout", args=[meeting.pk]))
    member = client_for(world.users["member"])
    member.post(
        survey,
        {
            "version": 1,
            "rating_heard": 9,
            "rating_mattered": 9,
            "rating_method": 9,
            "rating_overall": 9,
            "mood_before": 3,
            "mood_after": 4,
        },
    )
    assert services.checkin_release(meeting_id=meeting.pk) == 1
    assert CheckinResponse.objects.filter(meeting=meeting).count() == 1


def test_checkout_members_cannot_open_it(client_for, world):
    meeting = past_meeting_with(world, hours_ago=-0.5, present=())
    url = reverse("feedback:checkout", args=[meeting.pk])
    assert client_for(world.users["member"]).post(url).status_code == 404


def test_checkout_opened_before_the_start_tells_facilitator_and_member_the_same_rule(
    client_for, world
):
    # Opened before the meeting starts (setting up the room): both are told the survey
    # opens at the start, never that it is open now or that it opens at the end.
    meeting = past_meeting_with(world, hours_ago=-2, present=("member",))  # starts in 30 min
    facilitator = client_for(world.users["facilitator"])
    page = facilitator.post(reverse("feedback:checkout", args=[meeting.pk]), follow=True)
    said = page.content.decode()
    assert "from the moment the meeting starts" in said
    assert "open for everyone present." not in said
    member = client_for(world.users["member"])
    survey = member.get(reverse("feedback:checkin", args=[meeting.pk])).content.decode()
    assert "The survey opens when the meeting starts." in survey
    assert "when the meeting ends" not in survey


def test_checkout_open_during_the_meeting_lets_in_a_member_marked_present(client_for, world):
    meeting = past_meeting_with(world, hours_ago=-1, present=("member",))  # started
    member = client_for(world.users["member"])
    survey = reverse("feedback:checkin", args=[meeting.pk])
    assert "The survey opens when the meeting ends." in member.get(survey).content.decode()
    page = client_for(world.users["facilitator"]).post(
        reverse("feedback:checkout", args=[meeting.pk]), follow=True
    )
    assert "The check-out is open for everyone present." in page.content.decode()
    answer = member.get(survey).content.decode()
    assert "opens when" not in answer and "Send my answers" in answer
