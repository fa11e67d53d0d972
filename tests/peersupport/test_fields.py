"""The generic foreign key that checks the object it holds once per row and object."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from groups.models import PeerGroup
from members.models import Delivery
from sessions.models import Meeting
from tests.factories import MeetingFactory, PeerGroupFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_generic_foreign_key_follows_a_changed_row_at_once():
    first, second = MeetingFactory(), MeetingFactory()
    group = PeerGroupFactory()
    created = Delivery.objects.create(
        kind="session_reminder", about=first, recipient=UserFactory(), message_id="<t@x>"
    )
    delivery = Delivery.objects.get(pk=created.pk)
    assert delivery.about == first
    assert delivery.about is delivery.about  # read again: the same object, not reloaded
    delivery.about_id = second.pk  # the row now names another meeting
    assert delivery.about == second
    delivery.about = group  # another kind of thing
    assert delivery.about is group
    # The same id, another type: the meeting held is not returned for the group.
    delivery.about = first
    assert delivery.about is first
    delivery.about_type = ContentType.objects.get_for_model(PeerGroup)
    delivery.about_id = group.pk
    assert isinstance(delivery.about, PeerGroup) and delivery.about.pk == group.pk
    delivery.about_type = ContentType.objects.get_for_model(Meeting)
    delivery.about_id = 0  # names nothing
    assert delivery.about is None


def test_set_checked_object_is_returned_until_the_row_names_another():
    first, second = MeetingFactory(), MeetingFactory()
    created = Delivery.objects.create(
        kind="session_reminder", about=first, recipient=UserFactory(), message_id="<c@x>"
    )
    delivery = Delivery.objects.get(pk=created.pk)
    field = Delivery._meta.get_field("about")
    field.set_checked(delivery, first)
    assert delivery.about is first
    delivery.about_id = second.pk
    assert delivery.about == second


def test_any_of_finds_what_in_finds():
    users = [UserFactory() for _ in range(3)]
    ids = [users[0].pk, users[2].pk, 0]
    User = type(users[0])
    assert set(User.objects.filter(pk__any_of=ids)) == set(User.objects.filter(pk__in=ids))
    assert set(User.objects.filter(pk__any_of={users[1].pk})) == {users[1]}
    assert not User.objects.filter(pk__any_of=[]).exists()
    emails = [users[1].email, "nobody@example.invalid"]
    assert list(User.objects.filter(email__any_of=emails)) == [users[1]]
    # Through a foreign key, by its column and by the related object's id.
    made = [
        Delivery.objects.create(
            kind="session_reminder", about=MeetingFactory(), recipient=u, message_id=f"<{u.pk}@x>"
        )
        for u in users
    ]
    found = Delivery.objects.filter(recipient_id__any_of=ids)
    assert set(found) == {made[0], made[2]}
    assert set(Delivery.objects.filter(recipient__any_of=ids)) == {made[0], made[2]}
