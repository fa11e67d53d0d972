"""A person's invitations to help run an organisation or a group: accept or decline.

Reached from the home page and from the invitation email. Only the invitee sees an
invitation; for anyone else its address is a 404, like an address that never existed.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from groups.models import Membership, RoleInvitation
from groups.services import organisations as services
from peersupport.actions import ActionView
from peersupport.permissions import PermissionMixin


def _with_membership(invitations, user):
    """Each invitation with what accepting would do to the person's membership."""
    group_ids = [i.group_id for i in invitations if i.group_id]
    found = {m.group_id: m for m in Membership.objects.filter(user=user, group_id__in=group_ids)}
    for invitation in invitations:
        membership = found.get(invitation.group_id)
        # Removed members can't be made facilitators by an invitation; anyone else not
        # taking part now (left, declined, waiting) becomes an active member again.
        invitation.membership_removed = bool(membership and membership.is_removed)
        invitation.membership_rejoins = bool(
            membership and not membership.is_taking_part and not membership.is_removed
        )
        invitation.membership_none = membership is None
    return invitations


class RoleInvitationsView(PermissionMixin, TemplateView):
    permission = "signed_in"
    template_name = "groups/invitations/list.html"

    def get_context_data(self, **kwargs):
        invitations = list(services.role_invitations_pending(self.request.user))
        kwargs["invitations"] = _with_membership(invitations, self.request.user)
        return super().get_context_data(**kwargs)


class RoleInvitationView(PermissionMixin, TemplateView):
    """The page the invitation email links to: one invitation, accept or decline."""

    permission = "signed_in"
    template_name = "groups/invitations/list.html"

    def get_context_data(self, **kwargs):
        invitation = services.role_invitation_for(
            user=self.request.user, token=self.kwargs["token"]
        )
        if invitation is None:
            raise Http404
        kwargs["invitations"] = _with_membership([invitation], self.request.user)
        kwargs["single"] = True
        return super().get_context_data(**kwargs)


class _AnswerView(ActionView):
    permission = "signed_in"

    def act(self, form):
        token = self.kwargs["token"]
        self.invitation = services.role_invitation_for(user=self.request.user, token=token)
        if self.invitation is None:
            raise Http404
        return self.answer(self.invitation)

    def get_success_url(self) -> str:
        return self.next_url(self.invitation)

    def get_failure_url(self) -> str:
        return reverse("groups:role_invitations")

    def next_url(self, invitation: RoleInvitation) -> str:
        return reverse("groups:role_invitations")


class RoleInvitationAcceptView(_AnswerView):
    def answer(self, invitation: RoleInvitation) -> str:
        services.role_invitation_accept(invitation=invitation)
        if invitation.role == RoleInvitation.Role.ORGANIZER:
            return _("You are now an organizer of %(org)s.") % {"org": invitation.organisation}
        if invitation.role == RoleInvitation.Role.SAFEGUARDING_LEAD:
            return _("You are now a safeguarding lead of %(org)s.") % {
                "org": invitation.organisation
            }
        return _("You now facilitate %(group)s.") % {"group": invitation.group.name}

    def next_url(self, invitation: RoleInvitation) -> str:
        # Their new tools ask for two-step sign-in first (RequireMFAMiddleware).
        return reverse("groups:organise")


class RoleInvitationDeclineView(_AnswerView):
    def answer(self, invitation: RoleInvitation) -> str:
        services.role_invitation_decline(invitation=invitation)
        return _("Invitation declined. Nothing has changed for you.")
