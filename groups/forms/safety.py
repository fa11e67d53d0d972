"""Forms for asking for support, reporting a concern and recording mediation."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import Concern, MediationStep, SupportRequest


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class SupportRequestForm(forms.ModelForm):
    class Meta:
        model = SupportRequest
        fields = ["contact_way", "message"]
        widgets = {"contact_way": forms.RadioSelect, "message": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Ask the facilitators to reach out"))


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
        self.helper = _helper(_("Send to the facilitators"))


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
        self.helper = _helper(_("Record"))


class SafeguardingLeadForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of their account"),
        help_text=_(
            "They get an invitation; once they accept, they receive escalated debriefs "
            "and need two-step sign-in."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Invite as safeguarding lead"))
