"""Form widgets shared by the document apps."""

from django import forms
from django.utils.translation import gettext_lazy as _

# The editor's labels, rendered by the server so they follow the page's language; the script
# reads them from these data attributes (it has no gettext of its own).
RICH_TEXT_LABELS = {
    "data-richtext-toolbar": _("Opmaak"),
    "data-richtext-bold": _("Vet"),
    "data-richtext-italic": _("Cursief"),
    "data-richtext-bullets": _("Opsomming"),
    "data-richtext-numbers": _("Genummerde lijst"),
    "data-richtext-heading": _("Tussentitel"),
    "data-richtext-link": _("Link"),
    "data-richtext-link-prompt": _("Adres van de link (https://…)"),
    "data-richtext-undo": _("Ongedaan maken"),
}


class RichTextarea(forms.Textarea):
    """A textarea that static/js/richtext.js turns into a small editor with a toolbar. The
    textarea stays the form field: without the script it is edited as before, with it the
    editor writes its HTML back into it, and the server sanitises whatever arrives."""

    def __init__(self, attrs=None):
        super().__init__({"data-richtext": "", **RICH_TEXT_LABELS, **(attrs or {})})
