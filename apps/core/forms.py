"""Forms of apps/core: the municipality's key figures per year."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .numbers import AmountField

MAX_INHABITANTS = 10_000_000


class YearFiguresForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=1990, max_value=2100)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    total_budget = AmountField(label=_("Totale uitgaven van de gemeente (€)"), required=False)
    lmb_budget = AmountField(label=_("Budget lokaal mondiaal beleid (€)"), required=False)
    inhabitants = forms.IntegerField(
        label=_("Inwoners"),
        required=False,
        min_value=0,
        max_value=MAX_INHABITANTS,
        error_messages={
            "invalid": _("Geef een aantal inwoners als geheel getal."),
            "max_value": _("Dat zijn meer inwoners dan een gemeente kan hebben."),
            "min_value": _("Een aantal inwoners is niet negatief."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        total, lmb = cleaned.get("total_budget"), cleaned.get("lmb_budget")
        if total is not None and lmb is not None and lmb > total:
            self.add_error(
                "lmb_budget", _("Het budget voor LMB kan niet groter zijn dan de totale uitgaven.")
            )
        return cleaned


class BaseYearFiguresFormSet(forms.BaseFormSet):
    def __init__(self, *args, years: list[int], **kwargs):
        self.years = years
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        posted = [form.cleaned_data.get("year") for form in self.forms]
        if posted != self.years:
            raise forms.ValidationError(
                _("De jaren in dit formulier kloppen niet meer; laad de pagina opnieuw."),
                code="years",
            )


YearFiguresFormSet = forms.formset_factory(
    YearFiguresForm,
    formset=BaseYearFiguresFormSet,
    extra=0,
    max_num=20,
    absolute_max=20,
    validate_max=True,
)
