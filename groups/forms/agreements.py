"""Forms for agreements: templates, the group's draft, signing and proposals."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import AgreementDraft, AgreementProposal, AgreementTemplate
from peersupport.forms import SubmitFormMixin, submit_helper, textareas


class AgreementTemplateForm(SubmitFormMixin, forms.ModelForm):
    submit_label = _("Save template")

    class Meta:
        model = AgreementTemplate
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 20})}


class AgreementDraftForm(forms.ModelForm):
    class Meta:
        model = AgreementDraft
        fields = ["text", "online_addendum"]
        widgets = textareas(text=22, online_addendum=10)

    def __init__(self, *args, with_addendum: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_addendum:
            del self.fields["online_addendum"]
        self.helper = submit_helper(_("Save draft"))


class SignatureForm(forms.Form):
    """The version number travels with the form: signing an outdated page is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    addendum_acknowledged = forms.BooleanField(
        label=_("I have read the online addendum and will follow it."), required=False
    )
    consent = forms.BooleanField(
        label=_("I have read this agreement and I agree to keep it."), required=False
    )
    typed_name = forms.CharField(
        label=_("Type your full name to sign"),
        max_length=150,
        required=False,
        help_text=_("Only your group's facilitators can see it."),
    )

    def __init__(self, *args, with_addendum: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_addendum:
            del self.fields["addendum_acknowledged"]
        self.helper = submit_helper(_("Sign the agreement"), name="sign")

    # The boxes are checked here as well as in the service, so the error sits on the box
    # itself (aria-invalid, described by its message) rather than only at the top.
    def clean_consent(self):
        if not self.cleaned_data.get("consent"):
            raise forms.ValidationError(_("Please tick the box to say you agree."))
        return True

    def clean_addendum_acknowledged(self):
        if not self.cleaned_data.get("addendum_acknowledged"):
            raise forms.ValidationError(
                _("Please tick the box to say you have read the online addendum.")
            )
        return True

    def clean(self):
        # The version travels hidden, so its error would be invisible: say it at the top.
        if self.has_error("version"):
            self.add_error(
                None, _("This page is out of date. Please reload it and read the agreement again.")
            )
        return super().clean()


class AgreementProposalForm(SubmitFormMixin, forms.ModelForm):
    submit_label = _("Send to the facilitators")
    submit_name = "send"

    class Meta:
        model = AgreementProposal
        fields = ["text"]
        labels = {"text": _("What would you change, and why?")}
        help_texts = {
            "text": _("Your group's facilitators read it. Please do not name other members.")
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}
