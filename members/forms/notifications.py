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


def _clock_field(label, help_text="") -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter a time such as 22:00.")},
    )


class NotificationPreferencesForm(forms.Form):
    """The page's kinds are a table of two columns (in the app, by email) drawn by
    `channel_rows()`; the rest is laid out by crispy inside the same form element."""

    email_kinds = forms.MultipleChoiceField(
        label=_("Send me these emails"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    app_kinds = forms.MultipleChoiceField(
        label=_("Show these in my notifications"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
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
        help_text=_("Meeting times in emails are shown in this zone, and quiet hours kept in it."),
    )
    quiet_from = _clock_field(_("Quiet hours from"))
    quiet_until = _clock_field(
        _("Quiet hours until"),
        _(
            "For example from 22:00 until 07:00, in your time zone. No email is sent in "
            "between: it waits until your quiet hours end. The app still shows your "
            "notifications. Leave both empty to turn quiet hours off."
        ),
    )
    quiet_holds_urgent = forms.BooleanField(
        label=_("Hold safeguarding emails during quiet hours too"),
        required=False,
        help_text=_(
            "Off: a concern, an escalation or a request for support in a group you help "
            "run is emailed at once, whatever the hour."
        ),
    )

    def __init__(self, *args, kinds=None, facilitates: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [kind for kind in KINDS.values() if kind.optional] if kinds is None else kinds
        self.kinds = kinds
        self.fields["email_kinds"].choices = [
            (kind.name, kind.label) for kind in kinds if "email" in kind.channels
        ]
        self.fields["app_kinds"].choices = [
            (kind.name, kind.label) for kind in kinds if kind.in_app
        ]
        self.helper = self._helper(facilitates, urgent=any(kind.urgent for kind in kinds))

    def _helper(self, facilitates: bool, urgent: bool) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False  # the template's form element holds the channels table too
        helper.disable_csrf = True
        quiet = ["quiet_from", "quiet_until"]
        if urgent:
            quiet.append("quiet_holds_urgent")
        else:  # only people who help run a group receive urgent kinds: kept as it is
            self.fields["quiet_holds_urgent"].widget = forms.HiddenInput()
        helper.layout = Layout(
            Fieldset(_("Reminders"), "reminder_offsets"),
            Fieldset(_("Quiet hours"), *quiet),
            Fieldset(_("Privacy and time"), "discreet_mode", "time_zone"),
        )
        if facilitates:
            helper.layout.insert(0, Fieldset(_("Facilitator digest"), "digest_frequency"))
        else:  # the digest is a facilitator's: kept as it is, not offered
            self.fields["digest_frequency"].widget = forms.HiddenInput()
            helper.layout.append("digest_frequency")
        if not urgent:
            helper.layout.append("quiet_holds_urgent")
        helper.add_input(Submit("save", _("Save preferences")))
        return helper

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_from"), data.get("quiet_until")
        if (start is None) != (end is None):
            raise forms.ValidationError(
                _("Give both times for quiet hours, or leave both empty to turn them off.")
            )
        if start is not None and start == end:
            raise forms.ValidationError(_("Quiet hours must start and end at different times."))
        return data

    def channel_rows(self) -> list[dict]:
        """One row per kind for the table: its label and, per channel, whether it can go
        there and is ticked (as posted, or as saved)."""
        email = set(self["email_kinds"].value() or [])
        app = set(self["app_kinds"].value() or [])
        return [
            {
                "name": kind.name,
                "label": kind.label,
                "app": kind.in_app,
                "app_on": kind.name in app,
                "email": "email" in kind.channels,
                "email_on": kind.name in email,
            }
            for kind in self.kinds
        ]


class UnsubscribeForm(forms.Form):
    """Nothing to fill in: the signed link says who and what; the button confirms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Stop these emails"), name="confirm")
