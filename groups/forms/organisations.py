"""Forms for organisations: details, appointing people, partners."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from groups.models import Organisation, PartnerOrganisation, PeerGroup
from groups.services.organisations import ORGANISATION_FIELDS
from peersupport.forms import submit_helper, textareas

LONG_TEXT = 5000


def limit_text_fields(form: forms.ModelForm, limit: int = LONG_TEXT) -> None:
    """Give free-text fields a length limit so overlong input is a form error, not a 500."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and field.max_length is None:
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs["maxlength"] = str(limit)


def url_field(label: str, max_length: int = 200) -> forms.URLField:
    return forms.URLField(label=label, required=False, max_length=max_length, assume_scheme="https")


class OrganisationForm(forms.ModelForm):
    website = url_field(_("Website"))

    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        widgets = textareas(description=4, crisis_resources=4, professional_referrals=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text_fields(self)
        # Left out of a posted form (an older page, a script): the language stays as it was.
        self.fields["default_language"].required = False
        self.fields["notes_retention_days"].min_value = 1
        self.fields["notes_retention_days"].max_value = 3650
        self.fields["notes_retention_days"].widget.attrs.update(min=1, max=3650)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                _("About the organisation"), "name", "description", "website", "default_language"
            ),
            Fieldset(_("How people reach you"), "contact_email", "contact_phone"),
            Fieldset(
                _("Safety: shown on every group page"), "crisis_resources", "professional_referrals"
            ),
            Fieldset(_("Privacy"), "notes_retention_days"),
            Fieldset(_("Meeting finders"), "list_in_finders"),
        )
        self.helper.add_input(Submit("save", _("Save")))

    def clean_default_language(self) -> str:
        return self.cleaned_data.get("default_language") or (
            self.instance.default_language or settings.LANGUAGE_CODE
        )


class AppointOrganizerForm(forms.Form):
    email = forms.EmailField(
        label=_("Email of the new organizer"),
        max_length=254,
        help_text=_(
            "If the address belongs to an account, they get an invitation to accept or decline."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "appoint-organizer"
        self.helper.add_input(Submit("appoint", _("Invite as organizer")))


class AppointFacilitatorForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=PeerGroup.objects.none())
    email = forms.EmailField(
        label=_("Email of the facilitator"),
        max_length=254,
        help_text=_(
            "They get an invitation; if they accept, they become an active member of the group."
        ),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = organisation.groups.order_by("name")
        self.fields["email"].widget.attrs["id"] = "id_facilitator_email"
        self.helper = FormHelper()
        self.helper.form_id = "appoint-facilitator"
        self.helper.add_input(Submit("appoint", _("Invite as facilitator")))


class PartnerForm(forms.ModelForm):
    website = url_field(_("Website"))

    class Meta:
        model = PartnerOrganisation
        fields = ["name", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text_fields(self, 2000)
        self.helper = submit_helper(_("Add partner"), name="add")
