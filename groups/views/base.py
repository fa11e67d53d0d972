"""What group and organisation views share: the object their rule is checked against."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse

from groups import selectors
from groups.loaders import group_or_404, in_group_or_404, organisation_or_404
from groups.models import Membership, Organisation
from peersupport.actions import ActionView
from peersupport.permissions import PermissionMixin


class GroupPermissionMixin(PermissionMixin):
    """The group named by the URL's slug is the object every rule is checked against.

    `success_page`, when set, names the URL (taking the group's slug) to go to after a
    successful action or form.
    """

    success_page: str | None = None

    def get_permission_object(self):
        self.group = group_or_404(self.kwargs["slug"])
        return self.group

    def get_context_data(self, **kwargs):
        kwargs.setdefault("group", self.group)
        return super().get_context_data(**kwargs)

    def in_group(self, model_or_queryset, pk):
        """A row of this group (an invitation, a mentorship...) by id, or 404."""
        return in_group_or_404(model_or_queryset, self.group, pk)

    def membership_in_group(self, pk) -> Membership:
        return self.in_group(Membership.objects.select_related("user"), pk)

    def own_membership(self) -> Membership:
        found = selectors.membership(self.request.user, self.group)
        if found is None:  # the rule let them in, so this can't happen; be safe anyway
            raise Http404
        return found

    def get_success_url(self) -> str:
        if self.success_page:
            return reverse(self.success_page, args=[self.group.slug])
        return super().get_success_url()

    def inside_url(self) -> str:
        return reverse("groups:inside", args=[self.group.slug])


class GroupActionView(GroupPermissionMixin, ActionView):
    """A POST-only action on the group named by the URL."""


class OrganisationPermissionMixin(PermissionMixin):
    """Views under /orgs/<slug>/: the organisation is what the rule is checked against."""

    permission = "organisations.manage"

    def get_organisation(self) -> Organisation:
        if not hasattr(self, "_organisation"):
            self._organisation = organisation_or_404(self.kwargs["slug"])
        return self._organisation

    def get_permission_object(self):
        self.organisation = self.get_organisation()
        return self.organisation

    def get_context_data(self, **kwargs):
        kwargs.setdefault("organisation", self.get_organisation())
        return super().get_context_data(**kwargs)


class OrganisationActionView(OrganisationPermissionMixin, ActionView):
    """A POST-only action on the organisation named by the URL."""
