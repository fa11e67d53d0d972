"""The directory's search form (GET): labelled filters, nothing required."""

from __future__ import annotations

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from groups.models import AccessFeature, PeerGroup

ANY = [("", _("Any"))]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=ANY + list(PeerGroup.Format.choices)
    )
    where = forms.ChoiceField(label=_("Town, city or online"), required=False)
    day = forms.ChoiceField(
        label=_("Day"), required=False, choices=ANY + list(PeerGroup.Weekday.choices)
    )
    time = forms.ChoiceField(
        label=_("Time of day"),
        required=False,
        choices=[
            *ANY,
            ("morning", _("Morning (before 12:00)")),
            ("afternoon", _("Afternoon (12:00 to 17:00)")),
            ("evening", _("Evening (from 17:00)")),
        ],
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=ANY + list(settings.SPOKEN_LANGUAGES)
    )

    access = forms.MultipleChoiceField(
        label=_("Access"),
        required=False,
        choices=AccessFeature.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, cities: list[str], topics: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Name, topic or who it is for")
        # A filter from a shared link stays selected even if no group uses it any more.
        topic, where = self.initial.get("topic"), self.initial.get("where")
        if topic and topic not in topics:
            topics = [topic, *topics]
        if where and where != "online" and where not in cities:
            cities = [where, *cities]
        self.fields["topic"].choices = ANY + [(t, t) for t in topics]
        self.fields["where"].choices = (
            ANY + [("online", _("Online (or hybrid)"))] + [(c, c) for c in cities]
        )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "directory-search"
        self.helper.attrs = {"role": "search", "aria-label": _("Find a group")}
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-md-6"),
                Column("topic", css_class="col-md-3"),
                Column("format", css_class="col-md-3"),
            ),
            Row(
                Column("where", css_class="col-md-3"),
                Column("day", css_class="col-md-3"),
                Column("time", css_class="col-md-3"),
                Column("language", css_class="col-md-3"),
            ),
            Row(Column(InlineCheckboxes("access"), css_class="col-12")),
        )
        self.helper.add_input(Submit("search", _("Search"), css_class="btn-primary"))
