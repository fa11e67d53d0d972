"""The directory filters groups by access features and by every language they are held in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PeerGroupFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("groups:directory")


def test_access_filter_needs_every_feature_asked_for(client):
    PeerGroupFactory(name="Step Free Circle", access_features=["step_free"])
    PeerGroupFactory(name="Loop Circle", access_features=["step_free", "hearing_loop"])
    PeerGroupFactory(name="Plain Circle")
    page = client.get(DIRECTORY + "?access=step_free").content.decode()
    assert "Step Free Circle" in page and "Loop Circle" in page and "Plain Circle" not in page
    both = client.get(DIRECTORY + "?access=step_free&access=hearing_loop").content.decode()
    assert "Loop Circle" in both and "Step Free Circle" not in both
    assert 'value="hearing_loop" checked' in both or "checked" in both
    odd = client.get(DIRECTORY + "?access=teleport")
    assert odd.status_code == 200 and "Plain Circle" in odd.content.decode()


def test_language_filter_finds_groups_also_held_in_that_language(client):
    PeerGroupFactory(name="Bilingual Circle", language="en", other_languages=["fr"])
    PeerGroupFactory(name="French Circle", language="fr")
    PeerGroupFactory(name="English Circle", language="en")
    page = client.get(DIRECTORY + "?language=fr").content.decode()
    assert "Bilingual Circle" in page and "French Circle" in page
    assert "English Circle" not in page


def test_group_form_saves_access_languages_and_finder_choices(world, client_for):
    from groups.forms.groups import GroupForm

    group = world.group
    form = GroupForm(instance=group)
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: v for k, v in data.items() if v is not None}
    data.update(
        other_languages=["fr", "es"],
        access_features=["quiet_room"],
        list_in_finders="on",
        address_precision="street",
        street_address="",
        time_zone="Europe/London",
        topics="anxiety",
        meeting_time="19:00",
    )
    bound = GroupForm(data=data, instance=group)
    assert not bound.is_valid()
    assert "Please give the street address" in str(bound.errors["street_address"])
    data["street_address"] = "2 Church Lane"
    bound = GroupForm(data=data, instance=group)
    assert bound.is_valid(), bound.errors
