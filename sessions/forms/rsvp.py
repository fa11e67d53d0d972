"""Forms for RSVPs, attendance, attendance statements and community events."""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peersupport.forms import submit_helper
from peersupport.timezones import time_zone_choices
from sessions.models import Attendance, Rsvp


class RsvpForm(forms.Form):
    """The meeting page's buttons post here; the panel renders them (one button per answer)."""

    status = forms.ChoiceField(
        choices=[(Rsvp.Status.GOING, _("Going")), (Rsvp.Status.NOT_GOING, _("Not going"))]
    )
    mode = forms.ChoiceField(choices=Rsvp.Mode.choices, required=False)
    # Where the answer was given: the home page's one-click buttons send people back home.
    back = forms.ChoiceField(
        choices=[("", ""), ("home", "home"), ("calendar", "calendar")], required=False
    )


class RsvpAccessNeedsForm(forms.Form):
    access_needs = forms.CharField(
        label=_("Anything that would help you take part?"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example a seat near the door, captions or a quiet break. Only the "
            "meeting's facilitators see this. Leave it empty to remove it."
        ),
    )


class RsvpClosingForm(forms.Form):
    hours = forms.IntegerField(
        label=_("RSVPs close this many hours before the start"),
        min_value=0,
        max_value=14 * 24,
        help_text=_("0 keeps RSVPs open until the meeting starts."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.add_input(Submit("save", _("Save")))


class ConfirmForm(forms.Form):
    """The confirmation step of one-click links and other POST-only actions."""

    def __init__(self, *args, label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(label or _("Confirm"), name="confirm")


RSVP_NOTES = {
    Rsvp.Status.GOING: _("said going"),
    Rsvp.Status.WAITLISTED: _("on the waitlist"),
    Rsvp.Status.NOT_GOING: _("said not going"),
}


class AttendanceForm(forms.Form):
    """One row per person: present / absent / excused (blank: not marked yet)."""

    CHOICES = [("", _("Not marked")), *Attendance.Status.choices]

    def __init__(self, *args, sheet: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        for row in sheet:
            person = row["person"]
            answer = RSVP_NOTES.get(row["rsvp"], "")
            self.fields[f"mark_{person.pk}"] = forms.ChoiceField(
                label=f"{person.display_name} ({answer})" if answer else person.display_name,
                choices=self.CHOICES,
                required=False,
                initial=row["mark"],
                widget=forms.RadioSelect,
            )
        self.helper = submit_helper(_("Save attendance"))

    def changes(self) -> list[tuple[object, str]]:
        """(person, new mark) for each row whose mark changed."""
        result = []
        for row in self.sheet:
            value = self.cleaned_data.get(f"mark_{row['person'].pk}", "")
            if value != row["mark"]:
                result.append((row["person"], value))
        return result


class StatementForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"), empty_label=None)
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    include_group = forms.BooleanField(
        label=_("Include the group's name and meeting topics"),
        required=False,
        help_text=_("Leave this off to show only dates and durations."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.helper = submit_helper(_("Create my attendance record"), name="issue")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end of the period must be on or after its start."))
        return data


def _zone_choices() -> list:
    return time_zone_choices()


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=24 * 60, initial=90
    )
    time_zone = forms.ChoiceField(label=_("Time zone"))
    place = forms.CharField(
        label=_("Place"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    online_link = forms.URLField(
        label=_("Online link"), required=False, max_length=500, assume_scheme="https"
    )
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=10000, initial=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = _zone_choices()
        self.fields["time_zone"].initial = timezone.get_current_timezone_name()
        self.helper = submit_helper(_("Publish the event"), name="publish")

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < datetime.date.today() - datetime.timedelta(days=1):
            raise forms.ValidationError(_("Choose a date in the future."))
        return day
