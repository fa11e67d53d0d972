"""Personal and group goals, and the WHO-5 wellbeing check."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from feedback.forms.common import radios
from feedback.models import (
    GoalProgress,
    GroupGoal,
    PersonalGoal,
    WellbeingPlan,
)
from peersupport.forms import SubmitFormMixin, submit_helper


class PersonalGoalForm(SubmitFormMixin, forms.ModelForm):
    submit_label = _("Add my goal")

    class Meta:
        model = PersonalGoal
        fields = ["title", "measure", "target_date"]
        widgets = {"target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class GoalProgressForm(SubmitFormMixin, forms.ModelForm):
    submit_label = _("Log my progress")

    class Meta:
        model = GoalProgress
        fields = ["percent", "note"]
        widgets = {"percent": forms.NumberInput(attrs={"min": 0, "max": 100})}


class GroupGoalForm(SubmitFormMixin, forms.ModelForm):
    submit_label = _("Add the group goal")

    class Meta:
        model = GroupGoal
        fields = ["title", "description", "target_date"]
        widgets = {
            "target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 2}),
        }


class GroupGoalNoteForm(SubmitFormMixin, forms.Form):
    submit_label = _("Save the note")

    text = forms.CharField(label=_("Progress noted at the meeting"), max_length=500)
    status = forms.ChoiceField(label=_("Status"), choices=GroupGoal.Status.choices)


class WellbeingPlanForm(forms.ModelForm):
    class Meta:
        model = WellbeingPlan
        fields = ["active", "interval_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save my choice"))
        self.helper.form_action = reverse_lazy("feedback:wellbeing_plan")


WHO5_ITEMS = [
    _("I have felt cheerful and in good spirits"),
    _("I have felt calm and relaxed"),
    _("I have felt active and vigorous"),
    _("I woke up feeling fresh and rested"),
    _("My daily life has been filled with things that interest me"),
]
WHO5_CHOICES = [
    (5, _("5: all of the time")),
    (4, _("4: most of the time")),
    (3, _("3: more than half of the time")),
    (2, _("2: less than half of the time")),
    (1, _("1: some of the time")),
    (0, _("0: at no time")),
]


class WellbeingCheckForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, text in enumerate(WHO5_ITEMS):
            self.fields[f"item_{index}"] = radios(
                WHO5_CHOICES, _("Over the last two weeks: %(item)s") % {"item": text}
            )
        self.helper = submit_helper(_("See my score"))

    def items(self) -> list[int]:
        return [self.cleaned_data[f"item_{i}"] for i in range(len(WHO5_ITEMS))]
