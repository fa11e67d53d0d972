"""Forms for scheduling and editing meetings, cancelling them and facilitator notes."""

from __future__ import annotations

import datetime
import zoneinfo

from django import forms
from django.contrib.auth import get_user_model
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from groups.models import AccessFeature, Membership, PeerGroup
from peersupport.forms import SubmitFormMixin, submit_helper, text_box
from sessions.models import Meeting, MeetingSeries
from sessions.services.meetings import MeetingDetails, Recurrence
from sessions.services.recurrence import MAX_COUNT

ONCE = "once"
MONTH_WEEKS = [
    (1, _("First")),
    (2, _("Second")),
    (3, _("Third")),
    (4, _("Fourth")),
    (5, _("Fifth (months without one are skipped)")),
    (-1, _("Last")),
]


# A meeting that ends at or before the time it starts ends the next day (an evening
# circle from 23:00 to 00:30), if that makes it no longer than this; otherwise the end
# was typed wrong ("19:00 to 18:00" is not a 23-hour meeting).
MAX_MINUTES = 8 * 60


def _minutes_between(start: datetime.time, end: datetime.time) -> int:
    day = datetime.date(2000, 1, 3)
    began = datetime.datetime.combine(day, start)
    ended = datetime.datetime.combine(day, end)
    if ended <= began:
        overnight = ended + datetime.timedelta(days=1)
        if (overnight - began) <= datetime.timedelta(minutes=MAX_MINUTES):
            ended = overnight
    return int((ended - began).total_seconds() // 60)


class FacilitatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class MeetingForm(forms.Form):
    """Date and times in the group's own zone (named in the labels) and the details."""

    # Browsers' date and time inputs read ISO values only, whatever the locale's formats.
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    format = forms.ChoiceField(label=_("Format"), required=False)
    place = text_box(
        _("Meeting place"),
        required=False,
        rows=2,
        help_text=_("Leave empty to use the group's usual place. Private: members only."),
    )
    online_link = forms.URLField(
        label=_("Online meeting link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Leave empty to use the group's usual link. Private: members only."),
    )
    capacity = forms.IntegerField(
        label=_("Seats (in person)"), required=False, min_value=1, max_value=500
    )
    online_capacity = forms.IntegerField(
        label=_("Seats (online)"),
        required=False,
        min_value=1,
        max_value=500,
        help_text=_("Hybrid meetings only."),
    )
    facilitator = FacilitatorChoiceField(
        label=_("Facilitator"), queryset=get_user_model().objects.none(), required=False
    )
    access_features = forms.MultipleChoiceField(
        label=_("Access at this meeting"),
        required=False,
        choices=AccessFeature.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked when it is the same as the group's usual access."),
    )

    submit_label = _("Schedule")

    def __init__(self, *args, group: PeerGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        zone = group.time_zone.replace("_", " ")
        self.fields["start_time"].label = _("Starts (%(zone)s time)") % {"zone": zone}
        self.fields["end_time"].label = _("Ends (%(zone)s time)") % {"zone": zone}
        self.fields["format"].choices = [
            (
                "",
                _("The group's usual format (%(format)s)") % {"format": group.get_format_display()},
            ),
            *PeerGroup.Format.choices,
        ]
        self.fields["capacity"].help_text = _("Leave empty for the group's usual %(n)d.") % {
            "n": group.capacity
        }
        self.fields["facilitator"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__group=group,
                memberships__role=Membership.Role.FACILITATOR,
                memberships__status=Membership.Status.ACTIVE,
            )
            .order_by("display_name")
        )
        self.helper = submit_helper(self.submit_label)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and not 0 < _minutes_between(start, end) <= MAX_MINUTES:
            self.add_error("end_time", _("The meeting must end after it starts."))
        return data

    @property
    def duration_minutes(self) -> int:
        return _minutes_between(self.cleaned_data["start_time"], self.cleaned_data["end_time"])

    def details(self) -> MeetingDetails:
        data = self.cleaned_data
        return MeetingDetails(
            topic=data["topic"].strip(),
            format=data["format"],
            place=data["place"].strip(),
            online_link=data["online_link"],
            capacity=data["capacity"],
            online_capacity=data["online_capacity"],
            facilitator_id=data["facilitator"].pk if data["facilitator"] else None,
            access_features=tuple(data.get("access_features") or ()),
        )


class ScheduleForm(MeetingForm):
    """A single meeting, or the first of a repeating series that has an end."""

    field_order = ["date", "start_time", "end_time", "repeats", "month_week", "until", "count"]

    repeats = forms.ChoiceField(
        label=_("Repeats"),
        choices=[(ONCE, _("Does not repeat (a single meeting)")), *MeetingSeries.Frequency.choices],
        initial=ONCE,
    )
    month_week = forms.TypedChoiceField(
        label=_("Which week of the month (monthly only)"),
        choices=MONTH_WEEKS,
        coerce=int,
        required=False,
        help_text=_("Left empty, the week of the first date is used."),
    )
    until = forms.DateField(
        label=_("Last date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    count = forms.IntegerField(
        label=_("Or: number of meetings"), required=False, min_value=1, max_value=MAX_COUNT
    )

    def clean(self):
        data = super().clean()
        if data.get("repeats", ONCE) != ONCE and not data.get("until") and not data.get("count"):
            self.add_error(
                "until",
                _("A repeating series needs an end: choose a last date or a number of meetings."),
            )
        return data

    def recurrence(self) -> Recurrence | None:
        data = self.cleaned_data
        if data["repeats"] == ONCE:
            return None
        nth = data.get("month_week") or ((data["date"].day - 1) // 7 + 1)
        return Recurrence(
            frequency=data["repeats"], nth=nth, until=data["until"], count=data["count"]
        )


class MeetingEditForm(MeetingForm):
    submit_label = _("Save changes")
    scope = forms.ChoiceField(
        label=_("Apply to"),
        choices=[
            ("this", _("This meeting only")),
            ("following", _("This and all following meetings of the series")),
        ],
        initial="this",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        starts = meeting.starts_at.astimezone(_zone(meeting.time_zone))
        ends = meeting.ends_at.astimezone(_zone(meeting.time_zone))
        # The form starts from the meeting as it is (FormView always passes an `initial`,
        # so merge into it rather than set a default that would never apply).
        kwargs["initial"] = {
            **(kwargs.get("initial") or {}),
            "date": starts.date(),
            "start_time": starts.time().replace(second=0, microsecond=0),
            "end_time": ends.time().replace(second=0, microsecond=0),
            "topic": meeting.topic,
            "format": meeting.format,
            "place": meeting.place,
            "online_link": meeting.online_link,
            "capacity": meeting.capacity,
            "online_capacity": meeting.online_capacity,
            "facilitator": meeting.facilitator_id,
            "access_features": list(meeting.access_features),
        }
        super().__init__(*args, **kwargs)
        if meeting.series_id is None:
            del self.fields["scope"]


def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def _cancel_reason(help_text) -> forms.CharField:
    """The reason for a cancellation, which goes to the members by email."""
    return text_box(_("Reason"), max_length=1000, help_text=help_text)


class CancelForm(forms.Form):
    reason = _cancel_reason(
        _("Members receive this in the cancellation email. Please don't name anyone.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Cancel this meeting"), css_class="btn-danger", name="cancel")


class NoteForm(SubmitFormMixin, forms.Form):
    submit_label = _("Add note")
    submit_name = "add"

    text = text_box(
        _("Note"),
        max_length=5000,
        rows=4,
        help_text=_(
            "Only this group's facilitators can read notes. Please don't name members: "
            "write about themes and follow-ups. Notes are deleted automatically."
        ),
    )


class SeriesCancelForm(forms.Form):
    """Cancel a series from one of its dates still to come, with one reason for all."""

    from_date = forms.TypedChoiceField(
        label=_("Cancel the meetings from"),
        coerce=datetime.date.fromisoformat,
        help_text=_("This date and every later one of the series are cancelled."),
    )
    reason = _cancel_reason(
        _("Members receive one email with your reason and the dates. Please don't name anyone.")
    )

    def __init__(self, *args, dates: list[datetime.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_date"].choices = [
            (day.isoformat(), date_format(day, "DATE_FORMAT")) for day in dates
        ]
        self.helper = submit_helper(
            _("Cancel these meetings"), css_class="btn-danger", name="cancel"
        )
