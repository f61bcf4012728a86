"""The form of starting the meerjarenplan: it parses the chosen structure only; the service
decides and writes. An unknown key is a form error (a 400 page), never a 500."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import reference


def _choices():
    return [(s.key, s.name) for s in reference.structures()] + [
        (reference.EMPTY, _("Leeg beginnen"))
    ]


class StartForm(forms.Form):
    structure = forms.ChoiceField(
        label=_("Structuur"),
        choices=_choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een structuur om het meerjarenplan mee te beginnen."),
            "invalid_choice": _("Deze structuur bestaat niet; kies een van de vier structuren."),
        },
    )
