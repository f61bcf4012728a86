"""The request scope of the meerjarenplan's views."""

from django.http import Http404

from apps.core.scope import MunicipalityScope

from . import selectors
from .models import Action, ActionPlan, Goal

# The URL's <level> segment names the kind of item.
LEVELS = {"doelstelling": Goal, "actieplan": ActionPlan, "actie": Action}


class PlanScope(MunicipalityScope):
    """The municipality, legislature and meerjarenplan a request works in."""

    def __init__(self, request, nis_code: str):
        super().__init__(request, nis_code)
        self.plan = selectors.plan_for(
            user=request.user, municipality=self.municipality, legislature=self.legislature
        )
        self.document = self.plan
        self.lock(self.plan)

    def require_plan(self):
        if self.plan is None:
            raise Http404
        return self.plan

    def model_for(self, level: str):
        try:
            return LEVELS[level]
        except KeyError:
            raise Http404 from None

    def item(self, level: str, pk: int):
        """A goal, action plan or action of this plan, or a 404."""
        return selectors.item_for_user(
            self.model_for(level), user=self.user, plan=self.require_plan(), pk=pk
        )

    def context(self, **extra) -> dict:
        return super().context(plan=self.plan, **extra)
