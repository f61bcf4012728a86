from django.urls import path, register_converter

from . import views_edit, views_io, views_memorandum, views_plan
from .scope import LEVELS


class LevelConverter:
    """The kind of item in a URL: doelstelling, actieplan or actie; anything else is a 404."""

    regex = "|".join(sorted(LEVELS, key=len, reverse=True))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(LevelConverter, "level")

app_name = "meerjarenplan"

_p = "gemeente/<nis:nis_code>/meerjarenplan/"
urlpatterns = [
    # the plan page, starting, M1 and growth path (views_plan)
    path(_p, views_plan.plan_page, name="plan"),
    path(f"{_p}starten/", views_plan.plan_start, name="start"),
    path(f"{_p}m1/", views_plan.m1_page, name="m1"),
    path(f"{_p}groeipad/", views_plan.growth_page, name="growth"),
    # editing the hierarchy, budgets, milestones, settings (views_edit)
    path(f"{_p}instellingen/", views_edit.plan_settings, name="settings"),
    path(f"{_p}groeipad/bewerken/", views_edit.growth_edit, name="growth_edit"),
    path(f"{_p}<level:level>/nieuw/", views_edit.item_create, name="item_create"),
    path(f"{_p}<level:level>/<id:pk>/", views_edit.item_edit, name="item_edit"),
    path(f"{_p}<level:level>/<id:pk>/verwijderen/", views_edit.item_delete, name="item_delete"),
    path(f"{_p}<level:level>/<id:pk>/verplaatsen/", views_edit.item_move, name="item_move"),
    path(f"{_p}<level:level>/<id:pk>/verhuizen/", views_edit.item_move_to, name="item_move_to"),
    path(f"{_p}<level:level>/<id:pk>/budget/", views_edit.budget_edit, name="budget_edit"),
    path(
        f"{_p}<level:level>/<id:pk>/mijlpalen/", views_edit.milestones_edit, name="milestones_edit"
    ),
    # spreadsheets (views_io)
    path(f"{_p}export.xlsx", views_io.export_xlsx, name="export_xlsx"),
    path(f"{_p}export.csv", views_io.export_csv, name="export_csv"),
    path(f"{_p}importeren/", views_io.import_budgets, name="import"),
    # from the memorandum to the plan (views_memorandum)
    path(f"{_p}uit-memorandum/", views_memorandum.proposals_page, name="from_memorandum"),
    path(
        f"{_p}uit-memorandum/<id:proposal_pk>/",
        views_memorandum.proposal_to_plan,
        name="proposal_to_plan",
    ),
]
