"""The facilitator's debrief after a meeting."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peersupport.forms import submit_helper


class DebriefForm(forms.Form):
    how_it_went = forms.CharField(label=gettext_lazy("How it went"), widget=forms.Textarea)
    concerns = forms.CharField(
        label=gettext_lazy("Anything of concern"), widget=forms.Textarea, required=False
    )
    escalate = forms.BooleanField(
        label=gettext_lazy("Escalate to the organisation's safeguarding lead"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save debrief"))
