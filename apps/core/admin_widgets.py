"""Admin autocomplete fields that survive a tampered value.

Django's autocomplete widget looks up the submitted ids to show them again when the form has an
error; an id that is not a number ("1.5", a NUL) makes that lookup fail with a 500. The admin
classes of this project mix in ``SafeAutocompleteAdmin``, whose widgets leave such ids out."""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError

_MAX_KEY = 2**63 - 1


def _valid_keys(model_field, values):
    target = model_field.remote_field.model._meta.get_field(
        getattr(model_field.remote_field, "field_name", None)
        or model_field.remote_field.model._meta.pk.name
    )
    valid = []
    for value in values:
        try:
            key = target.to_python(value)
        except (ValidationError, TypeError, ValueError):
            continue
        if isinstance(key, int) and not -_MAX_KEY <= key <= _MAX_KEY:
            continue
        valid.append(value)
    return valid


class _SafeOptgroups:
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _valid_keys(self.field, value or []), attr)


class SafeAutocompleteSelect(_SafeOptgroups, widgets.AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_SafeOptgroups, widgets.AutocompleteSelectMultiple):
    pass


def _harden(formfield):
    if formfield is not None:
        widget = getattr(formfield.widget, "widget", formfield.widget)  # inside its wrapper
        if type(widget) is widgets.AutocompleteSelect:
            widget.__class__ = SafeAutocompleteSelect
        elif type(widget) is widgets.AutocompleteSelectMultiple:
            widget.__class__ = SafeAutocompleteSelectMultiple
    return formfield


class SafeAutocompleteAdmin:
    """Mix into a ModelAdmin or inline that has ``autocomplete_fields``."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return _harden(super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return _harden(super().formfield_for_manytomany(db_field, request, **kwargs))
