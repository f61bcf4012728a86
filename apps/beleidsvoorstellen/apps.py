from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeleidsvoorstellenConfig(AppConfig):
    name = "apps.beleidsvoorstellen"
    label = "beleidsvoorstellen"
    verbose_name = _("Ambtelijk memorandum")

    def ready(self) -> None:
        from apps.core import dashboard

        from .dashboard import memorandum_card
        from .printing import register_printables

        dashboard.register("memorandum", memorandum_card)
        register_printables()
