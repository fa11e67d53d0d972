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
