from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeerjarenplanConfig(AppConfig):
    name = "apps.meerjarenplan"
    label = "meerjarenplan"
    verbose_name = _("Meerjarenplan")
