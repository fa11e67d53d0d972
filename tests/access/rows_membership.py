"""Joining, invitations, one's own membership, the facilitator's lists (issue 4, part 2)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.access import LOGIN, Row, expect, signed_in

# The member area and one's own membership: people inside the group.
INSIDE = {"member": 200, "on_break": 200, "facilitator": 200}
# Running the group: its facilitators and the organisation's organizers.
RUNS = expect(404, anonymous=LOGIN, facilitator=200, organizer=200)
RUNS_POST = expect(404, anonymous=LOGIN, facilitator=302, organizer=302)
OWN_POST = expect(404, anonymous=LOGIN, member=302, on_break=302, facilitator=302)


def _membership(w, role: str):
    from groups.models import Membership

    return Membership.objects.get(group=w.group, user=w.users[role])


def _invitation(w):
    from groups.models import Invitation

    invitation, _ = Invitation.objects.get_or_create(
        group=w.group,
        note="matrix",
        defaults={"expires_at": timezone.now() + timedelta(days=3), "single_use": False},
    )
    return invitation


def _pairing(w):
    from groups.models import Mentorship

    pairing, _ = Mentorship.objects.get_or_create(
        group=w.group, mentor=w.users["facilitator"], mentee=w.users["member"]
    )
    return pairing


def _place(w):
    roles = {"member", "facilitator", "organizer"}
    return {w.group.place: roles, w.group.online_link: roles}


def _decision(w):
    prefix = f"r{_membership(w, 'pending').pk}-approve"
    return {f"{prefix}-decision": "approve", f"{prefix}-message": "Welcome"}


ROWS = [
    Row(
        "groups:join",
        signed_in(200),
        args=lambda w: [w.group.slug],
        private=_place,
        note="everyone signed in sees how to join, or why not now",
    ),
    Row(
        "groups:invitation",
        expect(200),
        args=lambda w: [_invitation(w).token],
        private=_place,
        note="the token is the secret; every state answers 200",
    ),
    Row("groups:mine", signed_in(200)),
    Row(
        "groups:inside",
        expect(404, anonymous=LOGIN, organizer=200, **INSIDE),
        args=lambda w: [w.group.slug],
        private=_place,
        note="on a break: inside, but without the place and link",
    ),
    Row("groups:take_break", OWN_POST, args=lambda w: [w.group.slug], method="post"),
    Row("groups:come_back", OWN_POST, args=lambda w: [w.group.slug], method="post"),
    Row("groups:mentor_willing", OWN_POST, args=lambda w: [w.group.slug], method="post"),
    # The two people of a pairing only (here the facilitator mentors the member).
    Row(
        "groups:mentorship_message",
        expect(404, anonymous=LOGIN, member=200, facilitator=200),
        args=lambda w: [w.group.slug, _pairing(w).pk],
    ),
    Row(
        "groups:leave",
        expect(404, anonymous=LOGIN, **INSIDE),
        args=lambda w: [w.group.slug],
    ),
    Row(
        "groups:withdraw_request",
        expect(404, anonymous=LOGIN, pending=302),
        args=lambda w: [w.group.slug],
        method="post",
    ),
    Row("groups:requests", RUNS, args=lambda w: [w.group.slug], private=_place),
    Row(
        "groups:decide",
        RUNS_POST,
        args=lambda w: [w.group.slug, _membership(w, "pending").pk],
        method="post",
        data=_decision,
    ),
    Row("groups:invitations", RUNS, args=lambda w: [w.group.slug]),
    Row(
        "groups:invitation_revoke",
        RUNS_POST,
        args=lambda w: [w.group.slug, _invitation(w).pk],
        method="post",
    ),
    Row(
        "groups:members",
        RUNS,
        args=lambda w: [w.group.slug],
        private=lambda w: {w.users["member"].email: set()},
        note="display names only: email and full name are on the contact page",
    ),
    Row(
        "groups:member_remove",
        RUNS,
        args=lambda w: [w.group.slug, _membership(w, "member").pk],
    ),
    Row(
        "groups:member_contact",
        expect(404, anonymous=LOGIN, facilitator=200),
        args=lambda w: [w.group.slug, _membership(w, "member").pk],
        private=lambda w: {w.users["member"].email: {"facilitator"}},
        note="the group's own facilitators only; every view is logged",
    ),
    Row("groups:mentors", RUNS, args=lambda w: [w.group.slug]),
    Row(
        "groups:mentorship_end",
        RUNS_POST,
        args=lambda w: [w.group.slug, _pairing(w).pk],
        method="post",
    ),
]
