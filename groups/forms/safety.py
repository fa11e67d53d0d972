"""Forms for asking for support, reporting a concern and recording mediation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import Concern, MediationStep, SupportRequest
from peersupport.forms import SubmitFormMixin, submit_helper


class SupportRequestForm(SubmitFormMixin, forms.ModelForm):
    submit_label = _("Ask the facilitators to reach out")
    submit_name = "submit"

    class Meta:
        model = SupportRequest
        fields = ["contact_way", "message"]
        widgets = {"contact_way": forms.RadioSelect, "message": forms.Textarea(attrs={"rows": 4})}


class ConcernForm(forms.ModelForm):
    class Meta:
        model = Concern
        fields = ["about", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["about"].queryset = people
        self.fields["about"].label_from_instance = lambda user: user.display_name
        self.fields["about"].empty_label = _("Nobody in particular")
        self.fields["about"].help_text = _("They will never be told who raised it.")
        self.helper = submit_helper(_("Send to the facilitators"), name="submit")


class MediationStepForm(forms.ModelForm):
    class Meta:
        model = MediationStep
        fields = ["action", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        labels = {"action": _("What happened")}

    def __init__(self, *args, about_someone: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not about_someone:
            self.fields["action"].choices = [
                (value, label)
                for value, label in MediationStep.Action.choices
                if value not in ("paused", "removed")
            ]
        self.fields["note"].help_text = _(
            "For a removal this message is sent to the member; for closing, it is the outcome."
        )
        self.helper = submit_helper(_("Record"), name="submit")


class SafeguardingLeadForm(SubmitFormMixin, forms.Form):
    submit_label = _("Invite as safeguarding lead")
    submit_name = "submit"

    email = forms.EmailField(
        label=_("Email address of their account"),
        help_text=_(
            "They get an invitation; once they accept, they receive escalated debriefs "
            "and need two-step sign-in."
        ),
    )
