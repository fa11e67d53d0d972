"""Forms of the notification preferences and the one-click unsubscribe page."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import OFFSET_CHOICES, NotificationPreference, time_zone_choices
from members.notifications import KINDS
from peersupport.forms import submit_helper


def reminder_offsets_field(label, help_text) -> forms.TypedMultipleChoiceField:
    """Ticks for how long before a meeting its reminders go out."""
    return forms.TypedMultipleChoiceField(
        label=label,
        required=False,
        coerce=int,
        choices=OFFSET_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class NotificationPreferencesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=_("Send me these emails"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick anything you'd rather not receive. You can change this any time."),
    )
    reminder_offsets = reminder_offsets_field(
        _("Remind me before a meeting I'm going to"),
        _(
            "Leave all unticked to follow each group's own setting (usually a day and "
            "two hours before)."
        ),
    )
    digest_frequency = forms.ChoiceField(
        label=_("Facilitator digest"),
        choices=NotificationPreference.Digest.choices,
        help_text=_("Only sent if you facilitate a group."),
    )
    discreet_mode = forms.BooleanField(
        label=_("Discreet mode"),
        required=False,
        help_text=_(
            "Email subjects and previews never name your group, its topic or mental "
            "health, and emails leave out group names. Useful on a shared or work device."
        ),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Meeting times in emails are shown in this zone."),
    )

    def __init__(self, *args, kinds=None, facilitates: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [kind for kind in KINDS.values() if kind.optional] if kinds is None else kinds
        self.fields["email_kinds"].choices = [(kind.name, kind.label) for kind in kinds]
        emails = ["email_kinds", "digest_frequency"]
        if not facilitates:  # the digest is a facilitator's: kept as it is, not offered
            self.fields["digest_frequency"].widget = forms.HiddenInput()
            emails = ["email_kinds"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Emails"), *emails),
            Fieldset(_("Reminders"), "reminder_offsets"),
            Fieldset(_("Privacy and time"), "discreet_mode", "time_zone"),
        )
        if not facilitates:
            self.helper.layout.append("digest_frequency")
        self.helper.add_input(Submit("save", _("Save preferences")))


class UnsubscribeForm(forms.Form):
    """Nothing to fill in: the signed link says who and what; the button confirms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Stop these emails"), name="confirm")
