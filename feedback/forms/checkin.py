"""The check-in survey and the organisation's check-in questions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from feedback.forms.common import radios, survey_helper
from feedback.models import (
    QuestionSet,
)
from peersupport.forms import SubmitFormMixin, text_box

RATING_CHOICES = [(n, str(n)) for n in range(11)]
MOOD_CHOICES = [
    (1, _("1: very low")),
    (2, _("2: low")),
    (3, _("3: okay")),
    (4, _("4: good")),
    (5, _("5: very good")),
]

STALE_QUESTIONS = _("The questions changed while you were answering. Please reload the page.")


class CheckinForm(forms.Form):
    # Checked in clean(): an error on a hidden field would be invisible.
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    mood_before = radios(MOOD_CHOICES, _("My mood before the meeting"))
    mood_after = radios(MOOD_CHOICES, _("My mood after the meeting"))
    comment = text_box(
        _("Anything else you'd like to tell the facilitators? (optional)"),
        required=False,
        max_length=2000,
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
            self.fields[name] = radios(
                RATING_CHOICES,
                _("%(q)s (0 = not at all, 10 = completely)") % {"q": gettext(question["text"])},
            )
            names.append(name)
        self.helper = survey_helper(
            "version", names, ["mood_before", "mood_after"], ["comment", "sign_comment"]
        )

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


class QuestionSetForm(SubmitFormMixin, forms.Form):
    submit_label = _("Save as a new version")

    questions = text_box(_("Questions, one per line (answered from 0 to 10)"), rows=6)
