"""Account forms: the details asked at sign-up, the profile, deleting the account."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import User
from members.services.language import language_choices
from peersupport.forms import submit_helper


class SignupDetailsForm(forms.Form):
    """The fields allauth's sign-up form adds to email and password."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=40,
        help_text=_("How other members see you: a first name or an alias is fine."),
    )

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please choose a name others will see."))
        return name

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "full_name", "time_zone", "preferred_language", "discreet_mode"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = language_choices()
        self.helper = submit_helper(_("Save changes"))


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone."), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Delete my account"), css_class="btn-danger", name="delete")
