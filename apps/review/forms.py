"""Forms of the review app's comments and notifications: they parse and bound the input, the
services decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import COMMENT_MAX_LENGTH, QUOTE_MAX_LENGTH, NotificationKind

NUL_MESSAGE = _("De tekst bevat een ongeldig teken (NUL). Verwijder het en probeer opnieuw.")


class CommentTextField(forms.CharField):
    """Plain text of a comment: bounded, NUL refused with a Dutch message (the services strip
    other control characters)."""

    def __init__(self, *, label, rows: int = 3, required_message, mentions_url: str = "", **kw):
        attrs = {"rows": rows, "class": "form-control", "maxlength": COMMENT_MAX_LENGTH}
        if mentions_url:
            attrs["data-mentions-url"] = mentions_url
            attrs["data-mentions-label"] = _("Leden om te vermelden")
        super().__init__(
            label=label,
            max_length=COMMENT_MAX_LENGTH,
            strip=True,
            widget=forms.Textarea(attrs=attrs),
            error_messages={
                "required": required_message,
                "max_length": _("Deze tekst is te lang (hoogstens %(limit_value)d tekens)."),
            },
            **kw,
        )
        # CharField adds an English-worded NUL validator; the form says it in Dutch instead.
        self.validators = [v for v in self.validators if not _is_null_validator(v)]

    def to_python(self, value):
        if isinstance(value, str) and "\x00" in value:
            raise forms.ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")
        return super().to_python(value)


def _is_null_validator(validator) -> bool:
    from django.core.validators import ProhibitNullCharactersValidator

    return isinstance(validator, ProhibitNullCharactersValidator)


class ThreadForm(forms.Form):
    """A new conversation: on the whole document or one of its parts, with an optional quote."""

    part = forms.ChoiceField(
        label=_("Onderdeel"),
        required=False,
        error_messages={
            "invalid_choice": _("Dat onderdeel bestaat niet (meer) in dit document."),
        },
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    quote = forms.CharField(
        label=_("Citeer een passage (optioneel)"),
        required=False,
        max_length=QUOTE_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 2, "class": "form-control", "maxlength": QUOTE_MAX_LENGTH}
        ),
        error_messages={
            "max_length": _("Het citaat is te lang (hoogstens %(limit_value)d tekens)."),
        },
    )

    def __init__(self, *args, parts=(), mentions_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [("", _("Het hele document"))] + [
            (part.key, part.label) for part in parts
        ]
        self.fields["quote"].validators = [
            v for v in self.fields["quote"].validators if not _is_null_validator(v)
        ]
        self.fields["text"] = CommentTextField(
            label=_("Je opmerking"),
            rows=4,
            required_message=_("Schrijf eerst je opmerking."),
            mentions_url=mentions_url,
            help_text=_("Typ @ en een naam om iemand van de gemeente te vermelden."),
        )

    def clean_quote(self):
        quote = self.cleaned_data.get("quote") or ""
        if "\x00" in quote:
            raise forms.ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")
        return quote


class ReplyForm(forms.Form):
    def __init__(self, *args, mentions_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"] = CommentTextField(
            label=_("Je reactie"),
            rows=2,
            required_message=_("Schrijf eerst je reactie."),
            mentions_url=mentions_url,
        )


class ResolveForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("resolve", _("Afhandelen")), ("reopen", _("Heropenen"))],
        error_messages={
            "required": _("Kies afhandelen of heropenen."),
            "invalid_choice": _("Kies afhandelen of heropenen."),
        },
    )


class MarkReadForm(forms.Form):
    """One notification (``id``) or, without it, all of them."""

    id = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class NotificationSettingsForm(forms.Form):
    """Per kind of notification: by mail, in the app (both on unless switched off)."""

    def __init__(self, *args, current: dict[str, tuple[bool, bool]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        self.kinds = []
        for kind in NotificationKind:
            by_mail, in_app = current.get(kind, (True, True))
            self.fields[f"{kind.value}_mail"] = forms.BooleanField(
                label=_("per mail"), required=False, initial=by_mail
            )
            self.fields[f"{kind.value}_app"] = forms.BooleanField(
                label=_("in de app"), required=False, initial=in_app
            )
            self.kinds.append(
                {
                    "kind": kind,
                    "label": kind.label,
                    "mail": self[f"{kind.value}_mail"],
                    "app": self[f"{kind.value}_app"],
                }
            )

    def choices(self) -> dict[str, tuple[bool, bool]]:
        return {
            kind: (self.cleaned_data[f"{kind.value}_mail"], self.cleaned_data[f"{kind.value}_app"])
            for kind in NotificationKind
        }
