from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mailadres"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Dat e-mailadres en wachtwoord horen niet bij elkaar. Let op hoofdletters in het "
            "wachtwoord."
        ),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()
