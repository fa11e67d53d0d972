"""Organisations: create, edit, the public page, people (organizers and facilitators),
partners, and the "Organise" page of everything a person runs."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView, View

from groups import selectors
from groups.forms.organisations import (
    AppointFacilitatorForm,
    AppointOrganizerForm,
    OrganisationForm,
    PartnerForm,
)
from groups.models import (
    Membership,
    Organisation,
    OrganisationRole,
    PartnerOrganisation,
    RoleInvitation,
)
from groups.services import GroupsError
from groups.services import organisations as services
from groups.views.directory import VisitorPermissionMixin
from peersupport.permissions import PermissionMixin, has_perm


class OrganisationPermissionMixin(PermissionMixin):
    """Views under /orgs/<slug>/: the organisation is what the rule is checked against."""

    permission = "organisations.manage"

    def get_organisation(self) -> Organisation:
        if not hasattr(self, "_organisation"):
            self._organisation = get_object_or_404(Organisation, slug=self.kwargs["slug"])
        return self._organisation

    def get_permission_object(self):
        return self.get_organisation()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("organisation", self.get_organisation())
        return super().get_context_data(**kwargs)


class OrganisationCreateView(PermissionMixin, CreateView):
    permission = "organisations.create"
    form_class = OrganisationForm
    template_name = "groups/organisation_form.html"

    def form_valid(self, form):
        try:
            organisation = services.organisation_create(
                user=self.request.user, data=form.cleaned_data
            )
        except GroupsError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Your organisation is set up. You are its first organizer.")
        )
        return HttpResponseRedirect(organisation.get_absolute_url())


class OrganisationUpdateView(OrganisationPermissionMixin, UpdateView):
    form_class = OrganisationForm
    template_name = "groups/organisation_form.html"

    def get_object(self, queryset=None):
        return self.get_organisation()

    def form_valid(self, form):
        services.organisation_update(organisation=self.object, data=form.cleaned_data)
        messages.success(self.request, _("The organisation's details are saved."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class OrganisationDetailView(VisitorPermissionMixin, DetailView):
    """Public: what the organisation does, its partners and its listed groups."""

    permission = "public"
    template_name = "groups/organisation_detail.html"
    context_object_name = "organisation"
    slug_url_kwarg = "slug"
    model = Organisation

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        context.update(
            partners=list(organisation.partners.all()),
            groups=list(organisation.groups.listed().order_by("name")),
            can_manage=has_perm(self.request.user, "organisations.manage", organisation),
        )
        return context


class OrganisationPeopleView(OrganisationPermissionMixin, TemplateView):
    """Organizers and facilitators of the organisation, with forms to appoint more."""

    template_name = "groups/organisation_people.html"

    def get_context_data(self, **kwargs):
        organisation = self.get_organisation()
        kwargs.setdefault("organizer_form", AppointOrganizerForm())
        kwargs.setdefault("facilitator_form", AppointFacilitatorForm(organisation=organisation))
        slug = organisation.slug
        kwargs["organizer_form"].helper.form_action = reverse("groups:organizer_add", args=[slug])
        kwargs["facilitator_form"].helper.form_action = reverse(
            "groups:facilitator_add", args=[slug]
        )
        kwargs["organizers"] = (
            organisation.roles.filter(role=OrganisationRole.Role.ORGANIZER)
            .select_related("user")
            .order_by("user__display_name")
        )
        kwargs["facilitators"] = (
            Membership.objects.filter(
                group__organisation=organisation,
                role=Membership.Role.FACILITATOR,
                status=Membership.Status.ACTIVE,
            )
            .select_related("group", "user")
            .order_by("group__name", "user__display_name")
        )
        return super().get_context_data(**kwargs)


class _AppointView(OrganisationPermissionMixin, View):
    """POST only: on a problem the people page is shown again with the message."""

    http_method_names = ["post"]

    def render_people(self, **forms):
        view = OrganisationPeopleView(request=self.request, kwargs=self.kwargs)
        view._organisation = self.get_organisation()
        context = view.get_context_data(**forms)
        return render(self.request, view.template_name, context)

    def done(self, message: str):
        messages.success(self.request, message)
        return HttpResponseRedirect(
            reverse("groups:organisation_people", args=[self.get_organisation().slug])
        )


def _invitation_sent(email: str) -> str:
    """The same words whether or not the address has an account, or already has the role."""
    return _("Invitation sent to %(email)s. Nothing changes for them until they accept it.") % {
        "email": email
    }


class OrganizerAddView(_AppointView):
    """Invites an organizer (see `role_invitation_send`): nothing changes until accepted."""

    def post(self, request, *args, **kwargs):
        form = AppointOrganizerForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            services.role_invitation_send(
                organisation=self.get_organisation(),
                email=email,
                role=RoleInvitation.Role.ORGANIZER,
                by=request.user,
            )
            return self.done(_invitation_sent(email))
        return self.render_people(organizer_form=form)


class FacilitatorAddView(_AppointView):
    """Invites a facilitator of one of the organisation's groups."""

    def post(self, request, *args, **kwargs):
        form = AppointFacilitatorForm(request.POST, organisation=self.get_organisation())
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                services.role_invitation_send(
                    organisation=self.get_organisation(),
                    group=form.cleaned_data["group"],
                    email=email,
                    role=RoleInvitation.Role.FACILITATOR,
                    by=request.user,
                )
            except GroupsError as error:
                form.add_error("group", error.message)
            else:
                return self.done(_invitation_sent(email))
        return self.render_people(facilitator_form=form)


class OrganizerRemoveView(_AppointView):
    def post(self, request, *args, **kwargs):
        role = get_object_or_404(
            OrganisationRole.objects.select_related("user"),
            pk=self.kwargs["pk"],
            organisation=self.get_organisation(),
            role=OrganisationRole.Role.ORGANIZER,
        )
        try:
            services.organisation_remove_organizer(role=role)
        except GroupsError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(
                reverse("groups:organisation_people", args=[self.get_organisation().slug])
            )
        if role.user_id == request.user.pk:
            messages.success(request, _("You are no longer an organizer of this organisation."))
            return HttpResponseRedirect(reverse("groups:organise"))
        return self.done(
            _("%(name)s is no longer an organizer.") % {"name": role.user.display_name}
        )


class FacilitatorRemoveView(_AppointView):
    def post(self, request, *args, **kwargs):
        membership = get_object_or_404(
            Membership.objects.select_related("user", "group"),
            pk=self.kwargs["pk"],
            group__organisation=self.get_organisation(),
        )
        try:
            services.group_remove_facilitator(membership=membership, actor=request.user)
        except GroupsError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(
                reverse("groups:organisation_people", args=[self.get_organisation().slug])
            )
        return self.done(
            _("%(name)s no longer facilitates %(group)s and stays a member.")
            % {"name": membership.user.display_name, "group": membership.group.name}
        )


class PartnerListView(OrganisationPermissionMixin, TemplateView):
    """Partner organisations: the list, a form to add one (POST), remove buttons."""

    template_name = "groups/partner_list.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PartnerForm())
        kwargs["partners"] = list(self.get_organisation().partners.all())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = PartnerForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        partner = services.partner_add(organisation=self.get_organisation(), data=form.cleaned_data)
        messages.success(request, _("%(name)s is listed as a partner.") % {"name": partner.name})
        return HttpResponseRedirect(request.path)


class PartnerRemoveView(OrganisationPermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        organisation = self.get_organisation()
        partner = get_object_or_404(
            PartnerOrganisation, pk=self.kwargs["pk"], organisation=organisation
        )
        services.partner_remove(partner=partner)
        messages.success(request, _("%(name)s is no longer listed.") % {"name": partner.name})
        return HttpResponseRedirect(reverse("groups:partners", args=[organisation.slug]))


class OrganiseView(PermissionMixin, TemplateView):
    """Everything this person runs: organisations and groups, with links to manage them."""

    permission = "signed_in"
    template_name = "groups/organise.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            organisations=list(selectors.organisations_run_by(user).order_by("name")),
            groups=list(selectors.groups_run_by(user)),
        )
        return context
