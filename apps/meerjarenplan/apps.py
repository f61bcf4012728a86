from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeerjarenplanConfig(AppConfig):
    name = "apps.meerjarenplan"
    label = "meerjarenplan"
    verbose_name = _("Meerjarenplan")

    def ready(self) -> None:
        from apps.core import dashboard

        from . import reference
        from .dashboard import plan_card
        from .demo import register as register_demo_plan
        from .printing import register_printables
        from .reviewing import register_reviewable

        dashboard.register("meerjarenplan", plan_card)
        reference.structures()  # read the starting structures now: a broken file stops the start
        register_printables()
        register_reviewable()
        register_demo_plan()
