"""Model fields and constraints many apps declare the same way."""

from django.conf import settings
from django.contrib.contenttypes import fields as contenttypes
from django.db import models
from django.utils.functional import cached_property


class GenericForeignKey(contenttypes.GenericForeignKey):
    """Django's generic foreign key, checking the object it holds once, not on every read.

    On every read Django checks that the object it holds is still the one the row names,
    looking the object's content type up through a new copy of the manager. A batch of
    reminders reads what each row is about several times per message, and those checks
    were a tenth of the worker's time. Here a read that passed the check notes the row's
    type and id with the object; while they and the object are unchanged, later reads
    return it as is. Anything else takes Django's own path.
    """

    @cached_property
    def ct_attname(self) -> str:
        return self.model._meta.get_field(self.ct_field).attname

    @cached_property
    def checked_name(self) -> str:
        return self.cache_name + "+checked"

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        names = (getattr(instance, self.ct_attname), getattr(instance, self.fk_field))
        cache = instance._state.fields_cache
        held = cache.get(self.cache_name)
        checked = cache.get(self.checked_name)
        if held is not None and checked and checked[0] is held and checked[1:] == (names, held.pk):
            return held
        found = super().__get__(instance, cls)
        if found is not None:
            self.set_checked(instance, found)
        return found

    def set_checked(self, instance, found) -> None:
        """Hold `found` as `instance`'s object, known to be the one the row names (the
        caller loaded it by the row's type and id): reads skip Django's check."""
        self.set_cached_value(instance, found)
        names = (getattr(instance, self.ct_attname), getattr(instance, self.fk_field))
        instance._state.fields_cache[self.checked_name] = (found, names, found.pk)


class AnyOf(models.Lookup):
    """`field__any_of=values`: the rows `field__in=values` gives, as `field = ANY(%s)`
    with the values sent as one array parameter.

    Django prepares and checks each value of an `__in` list on its own, several calls per
    value: for the batch queries of a fan-out (a hundred ids each, six queries a batch)
    that was about a tenth of a worker's time. Here the list is handed to the database
    driver as it is, so it must hold plain values of the field's type (ids, strings).
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]


models.Field.register_lookup(AnyOf)
models.ForeignObject.register_lookup(AnyOf)  # a foreign key keeps lookups of its own


def belongs_to(model, related_name: str = "+", **options) -> models.ForeignKey:
    """The `model` row (a group, a meeting, an organisation) this row is part of: it goes
    when that row is deleted."""
    return models.ForeignKey(model, on_delete=models.CASCADE, related_name=related_name, **options)


def person(related_name: str = "+", **options) -> models.ForeignKey:
    """A person a row is about or belongs to: the row goes when their account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name=related_name, **options
    )


def person_or_null(related_name: str = "+", **options) -> models.ForeignKey:
    """A person who did or owns something. The row stays, with nobody, when their account
    is deleted (the history is the group's; the person's data is theirs to take away)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name=related_name,
        **options,
    )


def unique(fields: list[str], name: str, **options) -> models.UniqueConstraint:
    """A rule that no two rows share the values of `fields` (with `condition`, of the rows
    it matches)."""
    return models.UniqueConstraint(fields=fields, name=name, **options)
