"""Data rights: a member downloads everything about them, and deletes their account."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from groups.models import AuditEntry, ContactAccessLog, Membership, Signature
from members.models import User
from tests.factories import PASSWORD, MembershipFactory, UserFactory, sign_agreement

pytestmark = pytest.mark.django_db


def signed_in_recently(client, user):
    """Sign in and confirm the password again, as the data pages ask."""
    client.force_login(user)
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def zeb(world):
    """A member with a distinctive name, some history and a signature."""
    person = UserFactory(
        email="zebulon.q@example.org", display_name="Zebulonia", full_name="Zebulon Quillfeather"
    )
    MembershipFactory(group=world.group, user=person, intake_answers=["Zebulonia here"])
    sign_agreement(person, world.agreement)
    ContactAccessLog.objects.create(
        group=world.group, viewer=world.users["facilitator"], member=person
    )
    return person


def test_downloads_ask_for_the_password_again(world, client_for):
    client = client_for(world.users["member"])

    for url in ("/me/data/export/", "/me/data/export.json", "/me/data/delete/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/reauthenticate/" in response["Location"]


def test_the_json_export_holds_my_data_and_nobody_elses(world, zeb, client):
    response = signed_in_recently(client, zeb).get("/me/data/export.json")

    assert response["Content-Disposition"].startswith("attachment")
    text = body(response)
    data = json.loads(text)
    assert data["profile"]["email"] == "zebulon.q@example.org"
    assert data["profile"]["full_name"] == "Zebulon Quillfeather"
    assert "Zebulonia here" in text
    assert any("signature" in title for title in data["records"])
    for other in User.objects.exclude(pk=zeb.pk):
        assert other.email not in text
        assert other.full_name not in text if other.full_name else True
    assert "another person" in text  # the facilitator who viewed my contact details


def test_the_readable_export_is_a_page_about_me(world, zeb, client):
    response = signed_in_recently(client, zeb).get("/me/data/export/")

    text = body(response)
    assert "Everything we hold about you" in text
    assert "Zebulon Quillfeather" in text
    assert world.users["facilitator"].email not in text
    assert AuditEntry.objects.filter(action="data_export", actor=zeb).exists()


def test_the_only_facilitator_is_asked_to_hand_over_first(world, client):
    facilitator = world.users["facilitator"]
    client = signed_in_recently(client, facilitator)

    page = client.get("/me/data/delete/").content.decode()
    response = client.post("/me/data/delete/", {"confirm": "on"})

    assert "only facilitator of Harbour Circle" in page
    assert response.status_code == 200
    assert User.objects.get(pk=facilitator.pk).email == "facilitator@world.test"


def _text_columns():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN "
            "('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'character')"
        )
        return cursor.fetchall()


def _tables_holding(needle: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            cursor.execute(
                f'SELECT 1 FROM "{table}" WHERE "{column}"::text ILIKE %s LIMIT 1',  # noqa: S608
                [f"%{needle}%"],
            )
            if cursor.fetchone():
                found.append(f"{table}.{column}")
    return found


def test_after_deletion_no_table_holds_my_email_or_name(world, zeb, client):
    signatures = Signature.objects.count()
    client = signed_in_recently(client, zeb)

    response = client.post("/me/data/delete/", {"confirm": "on"}, follow=True)

    assert "Your account and your personal data are deleted." in response.content.decode()
    for needle in ("zebulon.q@example.org", "Zebulonia", "Quillfeather"):
        assert _tables_holding(needle) == [], needle
    assert Signature.objects.count() == signatures
    membership = Membership.objects.get(group=world.group, user_id=zeb.pk)
    assert str(membership.user) == "Former member"
    assert membership.status == "left"
    assert not client.login(email="zebulon.q@example.org", password=PASSWORD)


def test_deleting_keeps_audit_entries_without_identity(world, zeb, client):
    from peersupport.audit import audit_record

    audit_record(
        actor=world.users["facilitator"],
        action="contact_view",
        organisation=world.organisation,
        target_repr="Zebulonia",
        subject=zeb,
    )
    signed_in_recently(client, zeb).post("/me/data/delete/", {"confirm": "on"})

    entry = AuditEntry.objects.get(action="contact_view")
    assert entry.subject is None
    assert entry.target_repr == "Former member"


def test_delete_needs_the_confirmation_box(world, zeb, client):
    response = signed_in_recently(client, zeb).post("/me/data/delete/", {})

    assert response.status_code == 200
    assert User.objects.get(pk=zeb.pk).email == "zebulon.q@example.org"


def test_a_concern_about_me_is_not_in_my_export(world, client):
    # world.concern: raised by member, about on_break.
    response = signed_in_recently(client, world.users["on_break"]).get("/me/data/export.json")

    text = body(response)
    assert "They shared my story outside the group" not in text
    assert world.users["on_break"].email in text


def _with_an_email_on_record(zeb, world):
    """A delivery with an attachment and a stored reference, as reminders leave behind."""
    from members.notifications import notify

    notify(
        kind="rsvp_confirmed",
        recipient=zeb,
        about=world.meeting,
        context={"meeting": world.meeting},
        attachments=[("meeting.ics", b"BEGIN:VCALENDAR", "text/calendar")],
    )


@pytest.mark.parametrize("url", ["/me/data/export/", "/me/data/export-readable.json"])
def test_the_readable_exports_use_plain_names_not_ids_or_base64(world, zeb, client, url):
    import base64

    _with_an_email_on_record(zeb, world)
    text = body(signed_in_recently(client, zeb).get(url))
    # Labels and names a person reads, not column names, content-type ids or base64.
    assert "Harbour Circle" in text
    assert "meeting.ics" in text
    assert base64.b64encode(b"BEGIN:VCALENDAR").decode() not in text
    assert "about_type" not in text and "content_type" not in text
    assert "$model" not in text
    assert "Memberships" in text
    for other in User.objects.exclude(pk=zeb.pk):
        assert other.email not in text
    if url.endswith(".json"):
        data = json.loads(text)
        assert data["profile"]["email"] == "zebulon.q@example.org"


def test_the_machine_export_stays_complete(world, zeb, client):
    _with_an_email_on_record(zeb, world)
    data = json.loads(body(signed_in_recently(client, zeb).get("/me/data/export.json")))
    deliveries = next(rows for title, rows in data["records"].items() if "deliver" in title)
    assert deliveries[0]["attachments"][0]["b64"]
