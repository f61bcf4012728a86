"""The form of the budget import: one file, refused above 2 MB before it is read."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .spreadsheet import MAX_FILE_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_(
            "Een Excel-werkmap (.xlsx) of CSV-bestand in de indeling van de export, hoogstens 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={
            "required": _("Kies een bestand."),
            "empty": _("Het bestand is leeg."),
            "invalid": _("Dit is geen bestand."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 2 MB."), code="size")
        return upload
