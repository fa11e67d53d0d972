"""The group form: facilitators and organizers edit every field of their group."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from groups.forms.organisations import limit_text_fields, url_field
from groups.models import AccessFeature, AddressPrecision, PeerGroup
from groups.services.groups import ABOUT_FIELDS, EDITABLE_FIELDS, topics_normalise
from peersupport.forms import textareas
from peersupport.timezones import time_zone_choices

MAX_TOPICS = 12
TOPIC_LENGTH = 40


def _zone_choices() -> list:
    return time_zone_choices()


class GroupForm(forms.ModelForm):
    topics = forms.CharField(
        label=_("Topics"),
        required=False,
        max_length=600,
        help_text=_('Separated by commas, for example "grief, ptsd, sleep".'),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_zone_choices)
    online_link = url_field(_("Online meeting link"), max_length=500)
    other_languages = forms.MultipleChoiceField(
        label=_("Also held in"),
        required=False,
        choices=settings.SPOKEN_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    access_features = forms.MultipleChoiceField(
        label=_("Access"),
        required=False,
        choices=AccessFeature.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the group offers. The directory can be searched by these."),
    )

    class Meta:
        model = PeerGroup
        fields = EDITABLE_FIELDS
        widgets = {
            **textareas(purpose=3, objectives=3, how_meetings_run=3, ground_rules_summary=3),
            **textareas(place=2, intake_questions=3),
            "meeting_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["topics"] = ", ".join(self.instance.topics)
        # Left out of a submission (an older form, a script), the group keeps its choice.
        self.fields["reveal_location_to"].required = False
        self.fields["address_precision"].required = False
        limit_text_fields(self)
        for name, low, high in [("duration_minutes", 15, 600), ("capacity", 1, 500)]:
            self.fields[name].min_value, self.fields[name].max_value = low, high
            self.fields[name].widget.attrs.update(min=low, max=high)
            self.fields[name].validators += [MinValueValidator(low), MaxValueValidator(high)]
        self.helper = FormHelper()
        self.helper.layout = self._layout()
        self.helper.add_input(Submit("save", _("Save group")))

    def _layout(self) -> Layout:
        private_note = _(
            "Only active members who signed the group's agreement, facilitators and "
            "organizers see these. They never appear on the public page."
        )
        return Layout(
            Fieldset(
                _("About the group (public)"),
                *ABOUT_FIELDS,
                "language",
                "other_languages",
                "access_features",
            ),
            Fieldset(
                _("Meetings (public)"),
                "format",
                "city",
                "frequency",
                "meeting_day",
                "meeting_time",
                "time_zone",
                "duration_minutes",
                "capacity",
            ),
            Fieldset(
                _("Private: meeting place and link"),
                HTML(f'<p class="form-text" id="private-note">{private_note}</p>'),
                "place",
                "online_link",
                "reveal_location_to",
                "reveal_location_hours_before",
            ),
            Fieldset(
                _("Who can find and join"),
                "visibility",
                "join_policy",
                "intake_questions",
                "max_members",
                "status",
            ),
            Fieldset(
                _("Meeting finders (public)"),
                "list_in_finders",
                "address_precision",
                "street_address",
            ),
        )

    def clean_reveal_location_to(self) -> str:
        return (
            self.cleaned_data.get("reveal_location_to")
            or self.instance.reveal_location_to
            or PeerGroup.RevealTo.SIGNED
        )

    def clean_address_precision(self) -> str:
        return (
            self.cleaned_data.get("address_precision")
            or self.instance.address_precision
            or AddressPrecision.CITY
        )

    def clean(self):
        cleaned = super().clean()
        precision = cleaned.get("address_precision")
        if precision == AddressPrecision.STREET and not cleaned.get("street_address", "").strip():
            self.add_error(
                "street_address",
                _("Please give the street address, or let meeting finders show the town only."),
            )
        return cleaned

    def clean_topics(self) -> list[str]:
        topics = topics_normalise(self.cleaned_data.get("topics", ""))
        if len(topics) > MAX_TOPICS:
            raise forms.ValidationError(_("Please use at most %(n)d topics.") % {"n": MAX_TOPICS})
        too_long = [t for t in topics if len(t) > TOPIC_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("Each topic can be at most %(n)d characters long.") % {"n": TOPIC_LENGTH}
            )
        return topics
