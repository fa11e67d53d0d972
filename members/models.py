from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class UserManager(BaseUserManager):
    """Email is the login; there is no username."""

    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractUser):
    """A person with an account. Other members only ever see `display_name`."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=40,
        help_text=_("How other members see you: a first name or an alias."),
    )
    full_name = models.CharField(
        _("full name"),
        max_length=150,
        blank=True,
        help_text=_("Only your group's facilitators can see this."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", choices=time_zone_choices
    )
    discreet_mode = models.BooleanField(
        _("discreet mode"),
        default=False,
        help_text=_(
            "Keep group names and topics out of email subjects and previews, "
            "for example on a shared or work device."
        ),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        default="en",
        choices=settings.SPOKEN_LANGUAGES,
    )
    welcomed_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("member account")
        verbose_name_plural = _("member accounts")

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.display_name

    def get_short_name(self) -> str:
        return self.display_name
