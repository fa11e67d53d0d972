import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse

from feedback import services
from feedback.models import CheckinReceipt, CheckinResponse
from peersupport.errors import DomainError
from sessions.models import Attendance
from tests.factories import MembershipFactory
from tests.feedback.conftest import past_meeting_with, release

pytestmark = pytest.mark.django_db


def _answers(version=1, **overrides):
    data = {
        "version": version,
        "rating_heard": 8,
        "rating_mattered": 7,
        "rating_method": 9,
        "rating_overall": 10,
        "mood_before": 2,
        "mood_after": 4,
        "comment": "",
    }
    data.update(overrides)
    return data


def _url(meeting):
    return reverse("feedback:checkin", args=[meeting.pk])


def test_checkin_survey_explains_anonymity_and_saves_one_answer(client_for, member, past_meeting):
    client = client_for(member)
    page = client.get(_url(past_meeting))
    assert "holds nothing that points back to you" in page.content.decode()
    response = client.post(_url(past_meeting), _answers(), follow=True)
    assert "saved anonymously" in response.content.decode()
    assert not CheckinResponse.objects.exists()  # held until the survey closes
    assert release(past_meeting) == 1
    saved = CheckinResponse.objects.get()
    assert saved.ratings == {"heard": 8, "mattered": 7, "method": 9, "overall": 10}
    assert (saved.mood_before, saved.mood_after) == (2, 4)
    assert saved.question_set.version == 1
    assert CheckinReceipt.objects.filter(meeting=past_meeting, member=member).exists()


def test_checkin_answering_twice_is_refused_and_stores_nothing_more(
    client_for, member, past_meeting
):
    client = client_for(member)
    client.post(_url(past_meeting), _answers())
    again = client.post(_url(past_meeting), _answers(), follow=True)
    assert "already answered" in again.content.decode()
    assert release(past_meeting) == 1
    assert "already answered" in client.get(_url(past_meeting)).content.decode()


@pytest.mark.django_db(transaction=True)
def test_checkin_concurrent_double_submit_stores_one_answer(world):
    meeting = past_meeting_with(world)
    member = world.users["member"]
    errors = []

    def submit():
        try:
            services.checkin_submit(
                meeting=meeting,
                member=member,
                version=1,
                ratings={"heard": 5, "mattered": 5, "method": 5, "overall": 5},
                mood_before=3,
                mood_after=3,
            )
        except DomainError as error:  # one of the two must refuse
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert release(meeting) == 1
    assert CheckinReceipt.objects.count() == 1
    assert len(errors) == 1 and "already answered" in errors[0].message


def test_checkin_for_a_meeting_not_attended_is_refused_clearly(client_for, world):
    meeting = past_meeting_with(world, present=("facilitator",))
    Attendance.objects.create(meeting=meeting, user=world.users["member"], status="absent")
    client = client_for(world.users["member"])
    assert "for the people who came" in client.get(_url(meeting)).content.decode()
    response = client.post(_url(meeting), _answers(), follow=True)
    assert "for the people who came" in response.content.decode()
    assert release(meeting) == 0 and not CheckinResponse.objects.exists()


def test_checkin_outsiders_get_404(client_for, world, past_meeting):
    assert client_for(world.users["outsider"]).get(_url(past_meeting)).status_code == 404
    assert client_for(world.users["other_member"]).get(_url(past_meeting)).status_code == 404


def test_checkin_after_seven_days_is_closed(client_for, world):
    meeting = past_meeting_with(world, hours_ago=7 * 24 + 1)
    client = client_for(world.users["member"])
    response = client.post(_url(meeting), _answers(), follow=True)
    assert "closed seven days after" in response.content.decode()
    assert release(meeting) == 0 and not CheckinResponse.objects.exists()


def test_checkin_before_the_meeting_ends_is_not_open(client_for, world):
    meeting = past_meeting_with(world, hours_ago=-1)  # ends in an hour
    response = client_for(world.users["member"]).get(_url(meeting))
    assert "opens when the meeting ends" in response.content.decode()


@pytest.mark.parametrize(
    "field,value",
    [("rating_heard", 11), ("rating_heard", -1), ("mood_after", 6), ("mood_before", "x")],
)
def test_checkin_out_of_range_values_are_refused(client_for, member, past_meeting, field, value):
    response = client_for(member).post(_url(past_meeting), _answers(**{field: value}))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert release(past_meeting) == 0 and not CheckinResponse.objects.exists()
    assert not CheckinReceipt.objects.exists()


def test_checkin_tampered_or_stale_version_asks_to_reload(client_for, member, past_meeting):
    client = client_for(member)
    client.get(_url(past_meeting))  # the page shows version 1
    services.question_set_update(
        organisation=past_meeting.group.organisation, texts=["Was it useful?", "Was it kind?"]
    )
    response = client.post(_url(past_meeting), _answers(version=1))
    assert "questions changed while you were answering" in response.content.decode()
    tampered = client.post(_url(past_meeting), _answers(version="abc"))
    assert tampered.status_code == 200
    assert release(past_meeting) == 0 and not CheckinResponse.objects.exists()


def test_checkin_answer_keeps_its_question_set_version(client_for, member, past_meeting):
    services.question_set_update(
        organisation=past_meeting.group.organisation, texts=["Was it useful?", "Was it kind?"]
    )
    client_for(member).post(
        _url(past_meeting),
        {"version": 2, "rating_q1": 6, "rating_q2": 9, "mood_before": 3, "mood_after": 3},
    )
    assert not CheckinResponse.objects.exists()  # held until the survey closes
    assert release(past_meeting) == 1
    saved = CheckinResponse.objects.get()
    assert saved.question_set.version == 2
    assert saved.ratings == {"q1": 6, "q2": 9}


def test_checkin_signed_comment_carries_the_display_name_only(client_for, member, past_meeting):
    client_for(member).post(_url(past_meeting), _answers(comment="Thanks all", sign_comment="on"))
    release(past_meeting)
    saved = CheckinResponse.objects.get()
    assert saved.comment_signed_as == member.display_name


def test_checkin_meeting_page_links_to_the_survey_for_attendees(client_for, world, past_meeting):
    page = client_for(world.users["member"]).get(reverse("meetings:detail", args=[past_meeting.pk]))
    assert reverse("feedback:checkin", args=[past_meeting.pk]) in page.content.decode()
    on_break = client_for(world.users["on_break"]).get(
        reverse("meetings:detail", args=[past_meeting.pk])
    )
    assert reverse("feedback:checkin", args=[past_meeting.pk]) not in on_break.content.decode()


def test_checkin_response_table_cannot_be_joined_to_members():
    """From the tables alone: the answer has no person column, no sequence and no time."""
    with connection.cursor() as cursor:
        columns = {
            c.name: c
            for c in connection.introspection.get_table_description(
                cursor, CheckinResponse._meta.db_table
            )
        }
        receipt_columns = {
            c.name
            for c in connection.introspection.get_table_description(
                cursor, CheckinReceipt._meta.db_table
            )
        }
        constraints = connection.introspection.get_constraints(
            cursor, CheckinResponse._meta.db_table
        )
        cursor.execute(
            "SELECT column_default FROM information_schema.columns "
            "WHERE table_name IN (%s, %s) AND column_default LIKE 'nextval%%'",
            [CheckinResponse._meta.db_table, CheckinReceipt._meta.db_table],
        )
        sequences = cursor.fetchall()
    assert set(columns) == {
        "id",
        "meeting_id",
        "question_set_id",
        "meeting_date",
        "ratings",
        "mood_before",
        "mood_after",
        "comment",
        "comment_signed_as",
    }
    assert columns["id"].type_code == 2950  # uuid: random, not ordered like the receipts
    assert not sequences  # neither table numbers its rows in the order people answered
    foreign = {c["foreign_key"][0] for c in constraints.values() if c["foreign_key"]}
    assert foreign == {"meetings_meeting", "feedback_questionset"}
    # The only columns the two tables share say which meeting, never who or when.
    shared = set(columns) & receipt_columns
    assert shared == {"id", "meeting_id"}
    assert "member_id" in receipt_columns
    assert not any("time" in name or "_at" in name for name in receipt_columns | set(columns))


def test_checkin_meeting_date_is_the_meeting_day_not_the_answer_day(client_for, world):
    meeting = past_meeting_with(world, hours_ago=3 * 24)
    client_for(world.users["member"]).post(_url(meeting), _answers())
    release(meeting)
    saved = CheckinResponse.objects.get()
    local = meeting.starts_at.astimezone(ZoneInfo(meeting.time_zone))
    assert saved.meeting_date == local.date()


def test_checkin_release_waits_for_the_window_and_writes_each_answer_once(world):
    """Beat releases a survey only once it has been closed an hour; a rerun (after a
    crash, or beat firing twice) writes nothing again, and the closed survey refuses."""
    import datetime

    from django.utils import timezone

    meeting = past_meeting_with(world, present=())
    people = [MembershipFactory(group=world.group).user for _ in range(3)]
    for n, person in enumerate(people):
        Attendance.objects.create(meeting=meeting, user=person, status="present")
        services.checkin_submit(
            meeting=meeting,
            member=person,
            version=1,
            ratings={"heard": n, "mattered": 5, "method": 5, "overall": 5},
            mood_before=3,
            mood_after=3,
        )
    assert services.checkin_release_due() == 0  # still open
    assert not CheckinResponse.objects.exists()
    later = timezone.now() + datetime.timedelta(days=7, hours=2)
    assert services.checkin_release_due(now=later) == 3
    assert services.checkin_release_due(now=later) == 0
    assert release(meeting) == 0
    kept = sorted(r.ratings["heard"] for r in CheckinResponse.objects.all())
    assert kept == [0, 1, 2]
    late = MembershipFactory(group=world.group).user
    Attendance.objects.create(meeting=meeting, user=late, status="present")
    with pytest.raises(DomainError):
        services.checkin_submit(
            meeting=meeting,
            member=late,
            version=1,
            ratings={"heard": 1, "mattered": 5, "method": 5, "overall": 5},
            mood_before=3,
            mood_after=3,
        )
