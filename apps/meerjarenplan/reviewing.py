"""The meerjarenplan in apps/review: its texts (the plan, then every goal, action plan and
action with its code, in the printed order) and history."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.review import registry
from apps.review.registry import Part

from .models import Action, ActionPlan, Goal, Plan
from .selectors import plan_tree

KEY = "meerjarenplan"
ITEM_FIELDS = {
    "title": _("korte omschrijving"),
    "description": _("lange omschrijving"),
    "responsible_service": _("verantwoordelijke dienst"),
}


def _page(plan) -> str:
    return reverse("meerjarenplan:plan", args=[plan.municipality.nis_code])


def parts(plan) -> list[Part]:
    page = _page(plan)
    result = [
        Part(
            key="document",
            label=_("Titel en inleiding"),
            instance=plan,
            fields={"title": _("titel"), "introduction": _("inleiding")},
            url=page,
        )
    ]
    for node in plan_tree(plan).nodes():
        result.append(
            Part(
                key=f"{node.level}-{node.item.pk}",
                label=f"{node.code} {node.item.title}",
                instance=node.item,
                fields=ITEM_FIELDS,
                url=f"{page}#{node.level}-{node.item.pk}-titel",
            )
        )
    return result


def history(plan) -> list:
    return [
        Plan.history.filter(id=plan.pk),
        *(model.history.filter(plan_id=plan.pk) for model in (Goal, ActionPlan, Action)),
    ]


def register_reviewable() -> None:
    registry.register(
        KEY,
        label=_("Meerjarenplan"),
        model=Plan,
        parts=parts,
        history=history,
        page_url=_page,
        printable="meerjarenplan",
    )
