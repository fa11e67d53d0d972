"""What a group publishes about access and language, and how it appears in meeting finders.

Access features and languages are data: the directory filters by them, and the Meeting
Guide feed maps the ones the specification has a code for (`finders.spec`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessFeature(models.TextChoices):
    STEP_FREE = "step_free", _("Step-free access")
    HEARING_LOOP = "hearing_loop", _("Hearing loop")
    CAPTIONS = "captions", _("Captions")
    SIGN_LANGUAGE = "sign_language", _("Sign language")
    QUIET_ROOM = "quiet_room", _("Quiet room")
    CHILDCARE = "childcare", _("Childcare")


class AddressPrecision(models.TextChoices):
    """How precisely meeting finders may place an in-person group (never the private place)."""

    CITY = "city", _("Town or city only")
    STREET = "street", _("The street address below")
