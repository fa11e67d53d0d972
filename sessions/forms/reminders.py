"""The form of a group's reminder times."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from members.forms.notifications import reminder_offsets_field
from peersupport.forms import submit_helper

OFFSETS_HELP = _(
    "Members can choose their own times instead. The first reminder asks whether "
    "they are still coming, with a link to free their seat. Untick all to send none."
)


class GroupRemindersForm(forms.Form):
    offsets = reminder_offsets_field(_("Remind members who are going"), OFFSETS_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save reminder times"))
