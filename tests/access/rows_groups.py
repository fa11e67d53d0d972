"""Organisations, group set-up, the public directory and landing pages (issue 4, part 1)."""

from tests.access import Row, expect, signed_in

# Organisation management: organizers of *this* organisation; others get 404.
ORGANIZER_ONLY = signed_in(404, organizer=200)
# POST actions answer with a redirect (and a message) for the organizer.
ORGANIZER_POST = signed_in(404, organizer=302)
# The world's group: its facilitator and its organisation's organizers manage it.
RUNS_GROUP = signed_in(404, facilitator=200, organizer=200)


def _place_and_link(w, entitled: set[str]):
    return {w.group.place: entitled, w.group.online_link: entitled}


def _partner(w):
    from groups.models import PartnerOrganisation

    partner = PartnerOrganisation.objects.create(organisation=w.organisation, name="Tide Clinic")
    return [w.organisation.slug, partner.pk]


def _organizer_role(w):
    # The organisation's only organizer: removing them is refused (302 with a message).
    return [w.organisation.slug, w.organisation.roles.get(user=w.users["organizer"]).pk]


def _facilitator_membership(w):
    return [w.organisation.slug, w.group.memberships.get(user=w.users["facilitator"]).pk]


def _role_invitation(w):
    """The member is asked to facilitate the other group (an invitation only they see)."""
    import datetime

    from django.utils import timezone

    from groups.models import RoleInvitation

    invitation = RoleInvitation.objects.create(
        organisation=w.organisation,
        group=w.other_group,
        role="facilitator",
        invitee=w.users["member"],
        invited_by=w.users["organizer"],
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    return [invitation.token]


# Only the invitee reaches their invitation; for anyone else it does not exist.
INVITEE_ONLY = signed_in(404, member=200)
INVITEE_POST = signed_in(404, member=302)

ROWS = [
    Row("groups:role_invitations", signed_in(200)),
    Row("groups:role_invitation", INVITEE_ONLY, args=_role_invitation),
    Row("groups:role_invitation_accept", INVITEE_POST, args=_role_invitation, method="post"),
    Row("groups:role_invitation_decline", INVITEE_POST, args=_role_invitation, method="post"),
    Row("groups:directory", expect(200), private=lambda w: _place_and_link(w, set())),
    Row(
        "groups:detail",
        expect(200),
        args=lambda w: [w.group.slug],
        private=lambda w: _place_and_link(w, set()),
        note="the landing page never shows the place or link, to anyone",
    ),
    Row(
        "groups:flyer",
        expect(200),
        args=lambda w: [w.group.slug],
        private=lambda w: _place_and_link(w, set()),
        note="the printable flyer shows what the landing page shows, nothing more",
    ),
    Row(
        "groups:edit",
        RUNS_GROUP,
        args=lambda w: [w.group.slug],
        private=lambda w: _place_and_link(w, {"facilitator", "organizer"}),
    ),
    Row("groups:organise", signed_in(200)),
    Row("groups:organisation_create", signed_in(200)),
    Row(
        "groups:organisation_detail",
        expect(200),
        args=lambda w: [w.organisation.slug],
        private=lambda w: _place_and_link(w, set()),
    ),
    Row("groups:organisation_edit", ORGANIZER_ONLY, args=lambda w: [w.organisation.slug]),
    Row("groups:group_create", ORGANIZER_ONLY, args=lambda w: [w.organisation.slug]),
    Row("groups:organisation_people", ORGANIZER_ONLY, args=lambda w: [w.organisation.slug]),
    Row(
        "groups:organizer_add",
        signed_in(404, organizer=200),
        args=lambda w: [w.organisation.slug],
        method="post",
        note="an empty form is shown again with its errors",
    ),
    Row("groups:organizer_remove", ORGANIZER_POST, args=_organizer_role, method="post"),
    Row(
        "groups:facilitator_add",
        signed_in(404, organizer=200),
        args=lambda w: [w.organisation.slug],
        method="post",
        note="an empty form is shown again with its errors",
    ),
    Row("groups:facilitator_remove", ORGANIZER_POST, args=_facilitator_membership, method="post"),
    Row("groups:partners", ORGANIZER_ONLY, args=lambda w: [w.organisation.slug]),
    Row("groups:partner_remove", ORGANIZER_POST, args=_partner, method="post"),
]
