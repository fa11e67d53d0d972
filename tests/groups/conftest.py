"""Fixtures the groups tests share."""

import pytest

from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def newcomer(world):
    """An active member of the world's group who has not signed anything yet."""
    user = UserFactory(display_name="Nia", full_name="Nia Okonkwo-Smith")
    MembershipFactory(group=world.group, user=user)
    return user
