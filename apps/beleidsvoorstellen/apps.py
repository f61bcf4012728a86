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
        from .reviewing import register_reviewable

        dashboard.register("memorandum", memorandum_card)
        register_printables()
        register_reviewable()
