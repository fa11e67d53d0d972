"""A small, complete world with one person per role, for role fixtures and the access matrix.

Each issue that adds a kind of object extends `build_world` so every URL can be tried
against every role with real objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from groups.models import AgreementProposal
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PeerGroupFactory,
    UserFactory,
    add_organizer,
    give_mfa,
    publish_agreement,
    sign_agreement,
)

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
    _build_groups(world)
    _build_agreements(world)
    _build_meetings(world)
    _build_safety(world)
    _build_space(world)
    return world


def _build_groups(world: World) -> None:
    """One organisation with `group` (everyone's) and `other_group`; a second organisation."""
    u = world.users
    org = OrganisationFactory(name="Harbour Test Network", slug="harbour-test")
    other_org = OrganisationFactory(name="Elsewhere Network", slug="elsewhere")
    group = PeerGroupFactory(organisation=org, name="Harbour Circle", slug="harbour-circle")
    other_group = PeerGroupFactory(organisation=org, name="Other Circle", slug="other-circle")
    MembershipFactory(group=group, user=u["member"])
    MembershipFactory(group=group, user=u["facilitator"], role="facilitator")
    MembershipFactory(group=group, user=u["pending"], status="pending", joined_at=None)
    MembershipFactory(group=group, user=u["on_break"], status="on_break")
    MembershipFactory(group=other_group, user=u["other_member"])
    add_organizer(u["organizer"], org)
    add_organizer(u["other_organizer"], other_org)
    world.objects.update(
        organisation=org, other_organisation=other_org, group=group, other_group=other_group
    )


def _build_agreements(world: World) -> None:
    """`group` has a published agreement: member and on_break signed it, pending has not."""
    version = publish_agreement(world.group, by=world.users["facilitator"])
    sign_agreement(world.users["member"], version)
    sign_agreement(world.users["on_break"], version)
    world.objects["agreement"] = version
    world.objects["agreement_proposal"] = AgreementProposal.objects.create(
        group=world.group, author=world.users["member"], text="Could we add a rule on lateness?"
    )


def _build_meetings(world: World) -> None:
    """An upcoming meeting of `group` with its own private place and link; one of `other_group`."""
    world.objects["meeting"] = MeetingFactory(
        group=world.group,
        topic="Sleep and shift work",
        place="Room 4, Harbour Community Centre",
        online_link="https://meet.jit.si/harbour-private-room",
        facilitator=world.users["facilitator"],
    )
    world.objects["other_meeting"] = MeetingFactory(group=world.other_group)


def _build_safety(world: World) -> None:
    """Issue 11: an audit entry, member's open support request, a concern about on_break."""
    from peersupport.audit import audit_record

    audit_record(
        actor=world.users["facilitator"],
        action="agreement_published",
        organisation=world.organisation,
        target_repr="Harbour Circle v1",
    )
    from groups.models import Concern, SupportRequest

    world.objects["support_request"] = SupportRequest.objects.create(
        group=world.group, member=world.users["member"], message="Please call me after Thursday"
    )
    world.objects["concern"] = Concern.objects.create(
        group=world.group,
        reporter=world.users["member"],
        about=world.users["on_break"],
        description="They shared my story outside the group",
    )
    from groups.models import OrganisationRole
    from sessions.models import Debrief

    # The safeguarding lead is not one of ROLES (an extra role would change other pages).
    world.objects["safeguarding_lead"] = UserFactory(
        email="lead@world.test", display_name="Safeguarding Lead"
    )
    OrganisationRole.objects.create(
        user=world.safeguarding_lead,
        organisation=world.organisation,
        role=OrganisationRole.Role.SAFEGUARDING_LEAD,
    )
    give_mfa(world.safeguarding_lead)  # leads need two-step sign-in too
    world.objects["debrief"] = Debrief.objects.create(
        meeting=world.meeting,
        author=world.users["facilitator"],
        how_it_went="Quiet, warm",
        concerns="Someone seemed very low",
        escalation=Debrief.Escalation.OPEN,
    )


def _build_space(world: World) -> None:
    """The group space of `group`: member's thread with the facilitator's reply; a thread
    in `other_group`; member's participant row (for the suspension rows)."""
    from space.models import Participant, Post, Thread

    u = world.users
    thread = Thread.objects.create(
        group=world.group, title="How was the week for everyone", author=u["member"]
    )
    world.objects["space_thread"] = thread
    world.objects["space_post"] = Post.objects.create(
        thread=thread, author=u["member"], body="I could not sleep again this week."
    )
    world.objects["space_reply"] = Post.objects.create(
        thread=thread, author=u["facilitator"], body="Thank you for telling us. Same here."
    )
    other = Thread.objects.create(
        group=world.other_group, title="Other circle check-in", author=u["other_member"]
    )
    Post.objects.create(thread=other, author=u["other_member"], body="Hello from the other circle")
    world.objects["space_participant"] = Participant.objects.create(
        group=world.group, user=u["member"]
    )
