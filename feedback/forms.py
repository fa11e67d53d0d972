"""Forms for feedback. Every answer is validated here and again in the service."""

from __future__ import annotations

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from feedback.models import (
    GoalProgress,
    GoalReviewResponse,
    GoalReviewSchedule,
    GroupGoal,
    PersonalGoal,
    QuestionSet,
    Suggestion,
    WellbeingPlan,
)

RATING_CHOICES = [(n, str(n)) for n in range(11)]
MOOD_CHOICES = [
    (1, _("1: very low")),
    (2, _("2: low")),
    (3, _("3: okay")),
    (4, _("4: good")),
    (5, _("5: very good")),
]
SATISFACTION_CHOICES = [
    (1, _("1: not at all")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5: very")),
]
STALE_QUESTIONS = _("The questions changed while you were answering. Please reload the page.")


def _radios(choices, label):
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, widget=forms.RadioSelect
    )


class CheckinForm(forms.Form):
    # Checked in clean(): an error on a hidden field would be invisible.
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    mood_before = _radios(MOOD_CHOICES, _("My mood before the meeting"))
    mood_after = _radios(MOOD_CHOICES, _("My mood after the meeting"))
    comment = forms.CharField(
        label=_("Anything else you'd like to tell the facilitators? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sign_comment = forms.BooleanField(
        label=_("Add my display name to my comment (only the comment, never my ratings)"),
        required=False,
    )

    def __init__(self, *args, question_set: QuestionSet, **kwargs):
        super().__init__(*args, **kwargs)
        self.question_set = question_set
        self.fields["version"].initial = question_set.version
        names = []
        for question in question_set.questions:
            name = f"rating_{question['key']}"
            self.fields[name] = _radios(
                RATING_CHOICES,
                _("%(q)s (0 = not at all, 10 = completely)") % {"q": gettext(question["text"])},
            )
            names.append(name)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "version",
            *[InlineRadios(n) for n in names],
            InlineRadios("mood_before"),
            InlineRadios("mood_after"),
            Field("comment"),
            Field("sign_comment"),
        )
        self.helper.add_input(Submit("send", _("Send my answers")))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("version") != str(self.question_set.version):
            raise forms.ValidationError(STALE_QUESTIONS)
        cleaned["version"] = self.question_set.version
        return cleaned

    def ratings(self) -> dict[str, int]:
        return {
            q["key"]: self.cleaned_data[f"rating_{q['key']}"] for q in self.question_set.questions
        }


class QuestionSetForm(forms.Form):
    questions = forms.CharField(
        label=_("Questions, one per line (answered from 0 to 10)"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save as a new version")))


class SuggestionForm(forms.ModelForm):
    anonymous = forms.BooleanField(
        label=_("Post anonymously (your name is not stored at all)"),
        help_text=_(
            "Anonymous suggestions are added to the box together, within the hour, so "
            "nobody can tell who wrote them from when they appear."
        ),
        required=False,
        initial=True,
    )

    class Meta:
        model = Suggestion
        fields = ["kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("add", _("Add my suggestion")))


class SuggestionReplyForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(v, label) for v, label in Suggestion.Status.choices if v != "open"],
    )
    reply = forms.CharField(label=_("Short reply members will see"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))


class ReviewScheduleForm(forms.ModelForm):
    class Meta:
        model = GoalReviewSchedule
        fields = ["every_months", "next_on", "active"]
        widgets = {"next_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save the schedule")))


class ReviewAnswerForm(forms.Form):
    objectives_count = forms.CharField(widget=forms.HiddenInput, required=False)
    discussions = _radios(SATISFACTION_CHOICES, _("How satisfied are you with our discussions?"))
    activities = _radios(SATISFACTION_CHOICES, _("How satisfied are you with our activities?"))
    what_to_change = forms.CharField(
        label=_("What would you change? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
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
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "objectives_count",
            *[InlineRadios(n) for n in names],
            InlineRadios("discussions"),
            InlineRadios("activities"),
            Field("what_to_change"),
        )
        self.helper.add_input(Submit("send", _("Send my answers")))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("objectives_count") != str(len(self.objectives)):
            raise forms.ValidationError(
                _("The objectives changed while you were answering. Please reload the page.")
            )
        return cleaned

    def verdicts(self) -> list[str]:
        return [self.cleaned_data[f"objective_{i}"] for i in range(len(self.objectives))]


def _helper(label):
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


class PersonalGoalForm(forms.ModelForm):
    class Meta:
        model = PersonalGoal
        fields = ["title", "measure", "target_date"]
        widgets = {"target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add my goal"))


class GoalProgressForm(forms.ModelForm):
    class Meta:
        model = GoalProgress
        fields = ["percent", "note"]
        widgets = {"percent": forms.NumberInput(attrs={"min": 0, "max": 100})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Log my progress"))


class GroupGoalForm(forms.ModelForm):
    class Meta:
        model = GroupGoal
        fields = ["title", "description", "target_date"]
        widgets = {
            "target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add the group goal"))


class GroupGoalNoteForm(forms.Form):
    text = forms.CharField(label=_("Progress noted at the meeting"), max_length=500)
    status = forms.ChoiceField(label=_("Status"), choices=GroupGoal.Status.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the note"))


class WellbeingPlanForm(forms.ModelForm):
    class Meta:
        model = WellbeingPlan
        fields = ["active", "interval_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save my choice"))
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
            self.fields[f"item_{index}"] = _radios(
                WHO5_CHOICES, _("Over the last two weeks: %(item)s") % {"item": text}
            )
        self.helper = _helper(_("See my score"))

    def items(self) -> list[int]:
        return [self.cleaned_data[f"item_{i}"] for i in range(len(WHO5_ITEMS))]
