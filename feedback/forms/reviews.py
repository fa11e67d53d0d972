"""The purpose and goals review: its schedule and the members' answers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.forms.common import radios, survey_helper
from feedback.models import (
    GoalReviewResponse,
    GoalReviewSchedule,
)
from peersupport.forms import SubmitFormMixin, text_box

SATISFACTION_CHOICES = [
    (1, _("1: not at all")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5: very")),
]


class ReviewScheduleForm(SubmitFormMixin, forms.ModelForm):
    submit_label = _("Save the schedule")

    class Meta:
        model = GoalReviewSchedule
        fields = ["every_months", "next_on", "active"]
        widgets = {"next_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ReviewAnswerForm(forms.Form):
    objectives_count = forms.CharField(widget=forms.HiddenInput, required=False)
    discussions = radios(SATISFACTION_CHOICES, _("How satisfied are you with our discussions?"))
    activities = radios(SATISFACTION_CHOICES, _("How satisfied are you with our activities?"))
    what_to_change = text_box(
        _("What would you change? (optional)"), required=False, max_length=2000
    )

    def __init__(self, *args, objectives: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.objectives = objectives
        self.fields["objectives_count"].initial = len(objectives)
        names = []
        for index, text in enumerate(objectives):
            name = f"objective_{index}"
            self.fields[name] = forms.ChoiceField(
                label=_("Objective: “%(o)s”. Is it still right?") % {"o": text},
                choices=GoalReviewResponse.Verdict.choices,
                widget=forms.RadioSelect,
            )
            names.append(name)
        self.helper = survey_helper(
            "objectives_count", names, ["discussions", "activities"], ["what_to_change"]
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("objectives_count") != str(len(self.objectives)):
            raise forms.ValidationError(
                _("The objectives changed while you were answering. Please reload the page.")
            )
        return cleaned

    def verdicts(self) -> list[str]:
        return [self.cleaned_data[f"objective_{i}"] for i in range(len(self.objectives))]
