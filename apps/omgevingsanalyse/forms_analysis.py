"""Forms of the omgevingsanalyse page and its sections: they parse and validate input only; the
services decide and write. Ids that arrive in a POST are checked here against what the analysis
owns, so a wrong or foreign id is a form error (a 400 page), never a 500."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.beleidsvoorstellen.forms import SDGChoiceField
from apps.core.models import SDGGoal
from apps.core.richtext import (
    PlainTextField,
    RichTextField,
    VersionedForm,
    VersionField,
    editable_text,
)
from apps.library.models import GlobalFigure

from .models import Section, Structure


class StartForm(forms.Form):
    structure = forms.ModelChoiceField(
        label=_("Structuur"),
        queryset=Structure.objects.order_by("order"),
        to_field_name="key",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een structuur om de omgevingsanalyse mee te beginnen."),
            "invalid_choice": _("Deze structuur bestaat niet; kies een van de vier structuren."),
        },
    )


class IntroductionForm(VersionedForm):
    introduction = RichTextField(label=_("Inleiding"), required=False, rows=10)


def _sdg_field():
    return SDGChoiceField(
        label=_("SDG's"),
        queryset=SDGGoal.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies SDG's uit de lijst.")},
    )


class SectionCreateForm(forms.Form):
    title = PlainTextField(label=_("Titel van de sectie"), max_length=200)
    sdg_goals = _sdg_field()


class SectionForm(VersionedForm):
    title = PlainTextField(label=_("Titel"), max_length=200)
    text = RichTextField(label=_("Tekst"), required=False, rows=14)
    sdg_goals = _sdg_field()

    @classmethod
    def initial_for(cls, section: Section) -> dict:
        return {
            "title": section.title,
            "text": editable_text(section.text),
            "sdg_goals": list(section.sdg_goals.all()),
            "version": section.version,
        }


class SectionMoveForm(forms.Form):
    direction = forms.ChoiceField(
        choices=[("up", _("omhoog")), ("down", _("omlaag"))],
        error_messages={
            "required": _("Er is niet gezegd of de sectie omhoog of omlaag moet."),
            "invalid_choice": _("Een sectie kan alleen omhoog of omlaag."),
        },
    )


class FigureForm(forms.Form):
    figure = forms.ModelChoiceField(
        queryset=GlobalFigure.objects.all(),
        error_messages={
            "required": _("Er is niet gezegd welk cijfer in de sectie moet."),
            "invalid_choice": _("Dit cijfer bestaat niet (meer); laad de pagina opnieuw."),
        },
    )


class AnswerForm(VersionedForm):
    """The answer to one guiding question; version 0 when it has no answer yet."""

    answer = RichTextField(label=_("Antwoord"), required=False, rows=5)
    version = VersionField(min_value=0)


class AnswerToSectionForm(forms.Form):
    """Which section of this analysis the answer goes into."""

    section = forms.ModelChoiceField(
        queryset=Section.objects.none(),
        error_messages={
            "required": _("Kies de sectie waarin het antwoord moet komen."),
            "invalid_choice": _(
                "Die sectie bestaat niet (meer) in deze omgevingsanalyse; laad de pagina opnieuw."
            ),
        },
    )
    next = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, analysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(analysis=analysis)
