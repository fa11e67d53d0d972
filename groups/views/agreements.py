"""Agreement screens: organisation templates, the group's draft and publishing, signing,
history, the facilitators' signing table and members' proposals."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from groups.forms.agreements import (
    AgreementDraftForm,
    AgreementProposalForm,
    AgreementTemplateForm,
    SignatureForm,
)
from groups.loaders import (
    get_or_404,
)
from groups.models import (
    AgreementProposal,
    AgreementTemplate,
    AgreementVersion,
    Signature,
)
from groups.selectors import runs_group
from groups.selectors.agreements import (
    agreement_gate,
    agreement_proposals_of,
    agreement_signing_table,
    agreement_templates_of,
    agreement_versions_of,
    can_sign_agreement,
    current_agreement_version,
    needs_online_addendum,
    signatures_of,
)
from groups.services.agreements import (
    agreement_draft_adopt_templates,
    agreement_draft_get_or_create,
    agreement_draft_update,
    agreement_proposal_create,
    agreement_proposal_decide,
    agreement_publish,
    agreement_template_update,
    agreement_templates_ensure,
    signature_create,
)
from groups.views.base import GroupPermissionMixin, OrganisationPermissionMixin
from peersupport.actions import ActionView, ServiceFormMixin
from peersupport.permissions import require


# --- Organisation templates ----------------------------------------------------------------
class AgreementTemplateListView(OrganisationPermissionMixin, TemplateView):
    template_name = "groups/agreements/agreementtemplate_list.html"

    def get_context_data(self, **kwargs):
        agreement_templates_ensure(organisation=self.organisation)
        return super().get_context_data(
            organisation=self.organisation,
            agreement_templates=agreement_templates_of(self.organisation),
            **kwargs,
        )


class AgreementTemplateEditView(OrganisationPermissionMixin, ServiceFormMixin, FormView):
    error_field = "text"
    template_name = "groups/agreements/agreementtemplate_form.html"
    form_class = AgreementTemplateForm

    @cached_property
    def object(self) -> AgreementTemplate:
        if self.kwargs["kind"] not in AgreementTemplate.Kind.values:
            raise Http404
        agreement_templates_ensure(organisation=self.organisation)
        return AgreementTemplate.objects.get(
            organisation=self.organisation, kind=self.kwargs["kind"]
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisation=self.organisation, agreement_template=self.object, **kwargs
        )

    def act(self, form):
        agreement_template_update(
            template=self.object, text=form.cleaned_data["text"], user=self.request.user
        )
        return _("The template is saved. New group drafts start from it.")

    def get_success_url(self) -> str:
        return reverse("groups:agreement_templates", args=[self.organisation.slug])


# --- A group's agreement ---------------------------------------------------------------------
class GroupAgreementMixin(GroupPermissionMixin):
    permission = "groups.agreement_read"

    def group_url(self, name: str, *args) -> str:
        return reverse(f"groups:{name}", args=[self.group.slug, *args])


class AgreementSignView(GroupAgreementMixin, ServiceFormMixin, FormView):
    """Read the current agreement and sign it. POST only for members taking part."""

    template_name = "groups/agreements/agreement_sign.html"
    form_class = SignatureForm

    def post(self, request, *args, **kwargs):
        require(request.user, "groups.agreement_sign", self.group)
        return super().post(request, *args, **kwargs)

    @cached_property
    def version(self) -> AgreementVersion | None:
        return current_agreement_version(self.group)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["with_addendum"] = bool(self.version and self.version.online_addendum)
        kwargs["initial"] = {"version": self.version.number if self.version else None}
        return kwargs

    def get_context_data(self, **kwargs):
        user = self.request.user
        mine = list(signatures_of(user, self.group))
        signed_current = bool(self.version and any(s.version_id == self.version.pk for s in mine))
        return super().get_context_data(
            group=self.group,
            version=self.version,
            gate=agreement_gate(user, self.group),
            my_signatures=mine,
            signed_current=signed_current,
            can_sign=can_sign_agreement(user, self.group) and not signed_current,
            runs_group=runs_group(user, self.group),
            **kwargs,
        )

    def act(self, form):
        data = form.cleaned_data
        signature_create(
            group=self.group,
            user=self.request.user,
            version_number=data["version"],
            typed_name=data["typed_name"],
            consent=data["consent"],
            addendum_acknowledged=data.get("addendum_acknowledged", False),
        )
        return _("Thank you for signing. You can now see the meeting place and link.")

    def get_success_url(self) -> str:
        return self.group_url("agreement_sign")


class AgreementVersionListView(GroupAgreementMixin, TemplateView):
    template_name = "groups/agreements/agreementversion_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            group=self.group, versions=agreement_versions_of(self.group), **kwargs
        )


class AgreementVersionDetailView(GroupAgreementMixin, TemplateView):
    template_name = "groups/agreements/agreementversion_detail.html"

    def get_context_data(self, **kwargs):
        version = get_or_404(AgreementVersion.objects, group=self.group, number=kwargs["number"])
        current = current_agreement_version(self.group)
        return super().get_context_data(
            group=self.group,
            version=version,
            is_current=bool(current and current.pk == version.pk),
            **kwargs,
        )


class SignedAgreementView(GroupAgreementMixin, TemplateView):
    """Print-friendly copy of what this person signed: text, name, date and fingerprint."""

    template_name = "groups/agreements/signature_detail.html"

    def get_context_data(self, **kwargs):
        signature = get_or_404(
            Signature.objects.select_related("version"),
            group=self.group,
            member=self.request.user,
            version__number=kwargs["number"],
        )
        return super().get_context_data(group=self.group, signature=signature, **kwargs)


class AgreementProposeView(GroupAgreementMixin, ServiceFormMixin, FormView):
    error_field = "text"
    template_name = "groups/agreements/agreementproposal_form.html"
    form_class = AgreementProposalForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            group=self.group,
            version=current_agreement_version(self.group),
            my_proposals=agreement_proposals_of(self.group).filter(author=self.request.user),
            **kwargs,
        )

    def act(self, form):
        agreement_proposal_create(
            group=self.group, user=self.request.user, text=form.cleaned_data["text"]
        )
        return _("Thank you. Your proposal was sent to the facilitators.")

    def get_success_url(self) -> str:
        return self.group_url("agreement_propose")


# --- Facilitators and organizers ----------------------------------------------------------------
class AgreementManageView(GroupAgreementMixin, ServiceFormMixin, FormView):
    """Edit the draft, next to members' proposals; publish it as a new version."""

    permission = "groups.manage"
    template_name = "groups/agreements/agreement_manage.html"
    form_class = AgreementDraftForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": agreement_draft_get_or_create(group=self.group),
            "with_addendum": needs_online_addendum(self.group),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            group=self.group,
            version=current_agreement_version(self.group),
            proposals=agreement_proposals_of(self.group),
            **kwargs,
        )

    def act(self, form):
        agreement_draft_update(
            group=self.group,
            text=form.cleaned_data["text"],
            online_addendum=form.cleaned_data.get("online_addendum", ""),
            user=self.request.user,
        )
        return _("Draft saved. Members see it once you publish it.")

    def get_success_url(self) -> str:
        return self.group_url("agreement_manage")


class _AgreementActionView(GroupAgreementMixin, ActionView):
    permission = "groups.manage"

    def get_success_url(self) -> str:
        return self.group_url("agreement_manage")


class AgreementPublishView(_AgreementActionView):
    def act(self, form):
        version = agreement_publish(group=self.group, user=self.request.user)
        return _("Version %(number)s is published. Members are asked to sign it.") % {
            "number": version.number
        }


class AgreementAdoptView(_AgreementActionView):
    def act(self, form):
        agreement_draft_adopt_templates(group=self.group, user=self.request.user)
        return _("The draft now holds your organisation's templates. Adapt it, then publish.")


class AgreementProposalDecideView(_AgreementActionView):
    def act(self, form):
        proposal = self.in_group(AgreementProposal, self.kwargs["pk"])
        status = self.request.POST.get("status", "")
        agreement_proposal_decide(proposal=proposal, user=self.request.user, status=status)
        return _("The proposal is marked %(status)s.") % {
            "status": proposal.get_status_display().lower()
        }


class AgreementSignaturesView(GroupAgreementMixin, TemplateView):
    """Per member: which version they signed and when, and who still has to sign."""

    permission = "groups.manage"
    template_name = "groups/agreements/agreement_signatures.html"

    def get_context_data(self, **kwargs):
        version = current_agreement_version(self.group)
        rows = list(agreement_signing_table(self.group))
        for row in rows:
            row.signed_current = bool(version and row.signed_number == version.number)
        return super().get_context_data(
            group=self.group,
            version=version,
            rows=rows,
            still_to_sign=sum(1 for row in rows if not row.signed_current),
            **kwargs,
        )
