"""A small, complete world with one person per role, for role fixtures and the access matrix.

Each issue that adds a kind of object extends `build_world` so every URL can be tried
against every role with real objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.factories import UserFactory

# Every role the access matrix checks. "other_member" belongs to a group the others are
# not in; "other_organizer" runs a different organisation.
ROLES = [
    "anonymous",
    "outsider",
    "other_member",
    "pending",
    "on_break",
    "member",
    "facilitator",
    "other_organizer",
    "organizer",
    "staff",
]


@dataclass
class World:
    users: dict[str, object] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def build_world() -> World:
    world = World()
    for role in ROLES:
        if role == "anonymous":
            continue
        world.users[role] = UserFactory(
            email=f"{role}@world.test", display_name=role.replace("_", " ").title()
        )
    world.users["staff"].is_staff = True
    world.users["staff"].is_superuser = True
    world.users["staff"].save()
    return world
