"""The form of a group's reminder times."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import OFFSET_CHOICES
from peersupport.forms import submit_helper


class GroupRemindersForm(forms.Form):
    offsets = forms.TypedMultipleChoiceField(
        label=_("Remind members who are going"),
        required=False,
        coerce=int,
        choices=OFFSET_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Members can choose their own times instead. The first reminder asks whether "
            "they are still coming, with a link to free their seat. Untick all to send none."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save reminder times"))
