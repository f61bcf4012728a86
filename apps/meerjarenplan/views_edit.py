"""Editing the meerjarenplan: goals, action plans and actions (create, edit, delete, move up
and down, move to another parent), their amounts per year and milestones, the plan's settings
(title, introduction, numbering) and the growth path towards 0.7 %.

Thin views: the item comes through ``PlanScope.item`` (another municipality, another plan or
an unknown level in the URL is a 404), then the opsteller check (403 for everyone else), one
form, one service. After a write the browser goes back to the plan page at the item's anchor:
``#item-<level>-<pk>`` with the level as ``selectors.Node.level`` names it (``goal``,
``action_plan``, ``action``); after a deletion, to the parent's anchor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.beleidsvoorstellen.models import MemorandumProposal
from apps.beleidsvoorstellen.selectors import memorandum_for
from apps.core.editing import StaleVersionError, rebind_with_version, versioned_edit
from apps.core.http import bad_request, first_error

from . import selectors, services
from .forms_edit import (
    BudgetForm,
    GrowthForm,
    ItemEditForm,
    ItemForm,
    MilestoneFormSet,
    MoveForm,
    MoveToForm,
    ParentForm,
    PlanSettingsForm,
    VersionForm,
)
from .models import Action, ActionPlan, Goal, GrowthTarget
from .scope import PlanScope

# The URL's <level> → the level as the tree (selectors.Node.level) and the anchors name it.
NODE_LEVEL = {"doelstelling": "goal", "actieplan": "action_plan", "actie": "action"}
URL_LEVEL = {node: url for url, node in NODE_LEVEL.items()}
# Whose child a new item is: the parent's URL level (a goal's parent is the plan itself).
PARENT_LEVEL = {"actieplan": "doelstelling", "actie": "actieplan"}


def plan_url(scope: PlanScope, anchor: str = "") -> str:
    url = reverse("meerjarenplan:plan", args=[scope.municipality.nis_code])
    return f"{url}#{anchor}" if anchor else url


def anchor_for(item) -> str:
    """The plan page's anchor of a goal, action plan or action: item-goal-3."""
    level = {Goal: "goal", ActionPlan: "action_plan", Action: "action"}[type(item)]
    return f"item-{level}-{item.pk}"


def _parent_anchor(item) -> str:
    if isinstance(item, Action):
        return f"item-action_plan-{item.action_plan_id}"
    if isinstance(item, ActionPlan):
        return f"item-goal-{item.goal_id}"
    return ""


def _level_name(level: str) -> str:
    return {
        "doelstelling": _("beleidsdoelstelling"),
        "actieplan": _("actieplan"),
        "actie": _("actie"),
    }[level]


def _says(what: str, level: str, **params) -> str:
    """A message about an item, with the article and pronoun its level takes in Dutch."""
    texts = {
        "added": {
            "doelstelling": _("De beleidsdoelstelling “%(title)s” is toegevoegd."),
            "actieplan": _("Het actieplan “%(title)s” is toegevoegd."),
            "actie": _("De actie “%(title)s” is toegevoegd."),
        },
        "new": {
            "doelstelling": _("Nieuwe beleidsdoelstelling"),
            "actieplan": _("Nieuw actieplan"),
            "actie": _("Nieuwe actie"),
        },
        "saved": {
            "doelstelling": _("De beleidsdoelstelling is opgeslagen."),
            "actieplan": _("Het actieplan is opgeslagen."),
            "actie": _("De actie is opgeslagen."),
        },
        "edit": {
            "doelstelling": _("Beleidsdoelstelling “%(title)s” bewerken"),
            "actieplan": _("Actieplan “%(title)s” bewerken"),
            "actie": _("Actie “%(title)s” bewerken"),
        },
        "deleted": {
            "doelstelling": _("De beleidsdoelstelling “%(title)s” is verwijderd."),
            "actieplan": _("Het actieplan “%(title)s” is verwijderd."),
            "actie": _("De actie “%(title)s” is verwijderd."),
        },
        "moved": {
            "doelstelling": _("De beleidsdoelstelling “%(title)s” is verplaatst; de codes volgen."),
            "actieplan": _("Het actieplan “%(title)s” is verplaatst; de codes volgen."),
            "actie": _("De actie “%(title)s” is verplaatst; de codes volgen."),
        },
        "moved_to": {
            "actieplan": _("Het actieplan “%(title)s” is verhuisd; zijn code is nu %(code)s."),
            "actie": _("De actie “%(title)s” is verhuisd; haar code is nu %(code)s."),
        },
    }
    text = texts[what][level]
    return text % params if params else text


def _item(scope: PlanScope, level: str, pk: int):
    """The item of this plan (404 otherwise), for the opsteller only (403)."""
    item = scope.item(level, pk)
    scope.require_edit()
    return item


def _code(scope: PlanScope, item) -> str:
    """The item's code as the plan page shows it (one tree, a fixed number of queries)."""
    tree = selectors.plan_tree(scope.plan)
    for node in tree.nodes():
        if type(node.item) is type(item) and node.item.pk == item.pk:
            return node.code
    return ""


def _proposals(scope: PlanScope):
    """This municipality's memorandum proposals, or None without a memorandum."""
    memorandum = memorandum_for(municipality=scope.municipality, legislature=scope.legislature)
    if memorandum is None:
        return None
    return MemorandumProposal.objects.filter(memorandum=memorandum).order_by("order", "pk")


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _gone():
    raise Http404(_("Dit onderdeel is intussen verwijderd."))


def _edit_page(request, scope, *, form, rebind, save, template, context, success):
    """A versioned form with the services' own refusals: a valid POST calls ``save()``; a
    stale version answers 409 with the typed values kept (``rebind(version)``); a
    ValidationError of the service is shown on the form; success → ``success()`` (a URL)."""
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except StaleVersionError as error:
            conflict = error
            form = rebind(error.current.version)
        except ValidationError as error:
            _add_errors(form, error)
        except (Goal.DoesNotExist, ActionPlan.DoesNotExist, Action.DoesNotExist):
            _gone()
        else:
            return redirect(success())
    return render(
        request,
        template,
        scope.context(form=form, conflict=conflict, **context),
        status=409 if conflict else 200,
    )


# --- the plan's settings and growth path ---------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_settings(request, nis_code: str):
    scope = PlanScope(request, nis_code)
    plan = scope.require_plan()
    scope.require_edit()
    form = (
        PlanSettingsForm(request.POST)
        if request.method == "POST"
        else PlanSettingsForm(initial=PlanSettingsForm.initial_for(plan))
    )

    def save():
        data = form.cleaned_data
        services.plan_update(
            plan=plan,
            title=data["title"],
            introduction=data["introduction"],
            numbering=data["numbering"],
            goal_prefix=data["goal_prefix"],
            plan_prefix=data["plan_prefix"],
            action_prefix=data["action_prefix"],
            expected_version=data["version"],
            by=request.user,
        )

    def success():
        messages.success(request, _("De instellingen van het meerjarenplan zijn opgeslagen."))
        return plan_url(scope)

    return _edit_page(
        request,
        scope,
        form=form,
        rebind=lambda version: rebind_with_version(PlanSettingsForm, request.POST, version),
        save=save,
        template="meerjarenplan/settings_form.html",
        context={"heading": _("Instellingen van het meerjarenplan"), "back_url": plan_url(scope)},
        success=success,
    )


@login_required
@require_http_methods(["GET", "POST"])
def growth_edit(request, nis_code: str):
    scope = PlanScope(request, nis_code)
    plan = scope.require_plan()
    scope.require_edit()
    years = plan.legislature.years
    back_url = reverse("meerjarenplan:growth", args=[scope.municipality.nis_code])
    if request.method == "POST":
        form = GrowthForm(request.POST, years=years)
    else:
        targets = dict(GrowthTarget.objects.filter(plan=plan).values_list("year", "share"))
        form = GrowthForm(initial=GrowthForm.initial_for(plan, targets, years), years=years)

    def save():
        services.growth_path_set(
            plan=plan,
            shares=form.shares(),
            expected_version=form.cleaned_data["version"],
            by=request.user,
        )

    def success():
        messages.success(request, _("Het groeipad is opgeslagen."))
        return back_url

    return _edit_page(
        request,
        scope,
        form=form,
        rebind=lambda version: rebind_with_version(GrowthForm, request.POST, version, years=years),
        save=save,
        template="meerjarenplan/growth_form.html",
        context={"heading": _("Groeipad naar 0,7 % bewerken"), "back_url": back_url},
        success=success,
    )


# --- goals, action plans and actions -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request, nis_code: str, level: str):
    scope = PlanScope(request, nis_code)
    model = scope.model_for(level)
    plan = scope.require_plan()
    parent = None
    if level in PARENT_LEVEL:
        parent_form = ParentForm(request.GET)
        if not parent_form.is_valid():
            return bad_request(request, first_error(parent_form))
        parent = scope.item(PARENT_LEVEL[level], parent_form.cleaned_data["parent"])
    scope.require_edit()
    form_kwargs = {"model": model, "proposals": _proposals(scope)}
    form = ItemForm(request.POST if request.method == "POST" else None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.item_data()
        try:
            if model is Goal:
                item = services.goal_create(plan=plan, **data, by=request.user)
            elif model is ActionPlan:
                item = services.action_plan_create(goal=parent, **data, by=request.user)
            else:
                item = services.action_create(action_plan=parent, **data, by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _says("added", level, title=item.title),
            )
            return redirect(plan_url(scope, anchor_for(item)))
    back_url = plan_url(scope, anchor_for(parent) if parent else "")
    return render(
        request,
        "meerjarenplan/item_form.html",
        scope.context(
            form=form,
            level=level,
            parent=parent,
            heading=_says("new", level),
            submit_label=_("Toevoegen"),
            back_url=back_url,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, nis_code: str, level: str, pk: int):
    scope = PlanScope(request, nis_code)
    item = _item(scope, level, pk)
    form_kwargs = {"model": type(item), "proposals": _proposals(scope)}

    def save(form):
        try:
            services.item_update(item=item, **form.item_data(), **_version(form), by=request.user)
        except type(item).DoesNotExist:
            _gone()

    return versioned_edit(
        request,
        form_class=ItemEditForm,
        initial=lambda: ItemForm.initial_for(item),
        save=save,
        success_url=plan_url(scope, anchor_for(item)),
        success_message=_says("saved", level),
        template="meerjarenplan/item_form.html",
        context=scope.context(
            item=item,
            level=level,
            heading=_says("edit", level, title=item.title),
            back_url=plan_url(scope, anchor_for(item)),
        ),
        form_kwargs=form_kwargs,
    )


def _version(form) -> dict:
    return {"expected_version": form.cleaned_data["version"]}


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request, nis_code: str, level: str, pk: int):
    scope = PlanScope(request, nis_code)
    item = _item(scope, level, pk)
    back = plan_url(scope, _parent_anchor(item))
    if request.method == "POST":
        try:
            services.item_delete(item=item, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _says("deleted", level, title=item.title),
            )
        return redirect(back)
    if isinstance(item, Goal):
        below = {
            "action_plans": ActionPlan.objects.filter(goal=item).count(),
            "actions": Action.objects.filter(action_plan__goal=item).count(),
        }
    elif isinstance(item, ActionPlan):
        below = {"action_plans": 0, "actions": Action.objects.filter(action_plan=item).count()}
    else:
        below = {"action_plans": 0, "actions": 0}
    return render(
        request,
        "meerjarenplan/item_delete.html",
        scope.context(
            item=item,
            level=level,
            level_name=_level_name(level),
            code=_code(scope, item),
            below=below,
            back_url=plan_url(scope, anchor_for(item)),
        ),
    )


@login_required
@require_POST
def item_move(request, nis_code: str, level: str, pk: int):
    scope = PlanScope(request, nis_code)
    item = _item(scope, level, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return bad_request(request, first_error(form))
    try:
        services.item_move(item=item, direction=form.cleaned_data["direction"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _says("moved", level, title=item.title),
        )
    return redirect(plan_url(scope, anchor_for(item)))


def _targets(scope: PlanScope, item) -> tuple[list, str]:
    """The parents the item can move to, as (pk, "code — title"), and the select's label."""
    tree = selectors.plan_tree(scope.plan)
    if isinstance(item, Action):
        choices = [
            (node.item.pk, f"{node.code} — {node.title}")
            for goal in tree.goals
            for node in goal.children
            if node.item.pk != item.action_plan_id and not node.has_own_amounts
        ]
        return choices, _("Naar actieplan")
    choices = [
        (node.item.pk, f"{node.code} — {node.title}")
        for node in tree.goals
        if node.item.pk != item.goal_id
    ]
    return choices, _("Naar beleidsdoelstelling")


@login_required
@require_http_methods(["GET", "POST"])
def item_move_to(request, nis_code: str, level: str, pk: int):
    """An action to another action plan, an action plan to another goal; the codes follow."""
    scope = PlanScope(request, nis_code)
    if level not in PARENT_LEVEL:
        raise Http404
    item = _item(scope, level, pk)
    choices, label = _targets(scope, item)
    data = request.POST if request.method == "POST" else None
    form = MoveToForm(data, choices=choices, label=label)
    if request.method == "POST":
        if not form.is_valid():
            return bad_request(request, first_error(form))
        target = scope.item(PARENT_LEVEL[level], form.cleaned_data["target"])
        try:
            if isinstance(item, Action):
                services.action_move_to(action=item, action_plan=target, by=request.user)
            else:
                services.action_plan_move_to(action_plan=item, goal=target, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(plan_url(scope, anchor_for(item)))
        messages.success(
            request,
            _says("moved_to", level, title=item.title, code=_code(scope, item)),
        )
        return redirect(plan_url(scope, anchor_for(item)))
    return render(
        request,
        "meerjarenplan/item_move_to.html",
        scope.context(
            form=form,
            item=item,
            level=level,
            code=_code(scope, item),
            back_url=plan_url(scope, anchor_for(item)),
        ),
    )


# --- amounts and milestones ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def budget_edit(request, nis_code: str, level: str, pk: int):
    """The amounts of an action, or of an action plan without actions, per year, kind and
    direction; the whole grid is checked before anything is written."""
    scope = PlanScope(request, nis_code)
    if level not in PARENT_LEVEL:
        raise Http404
    item = _item(scope, level, pk)
    years = item.plan.legislature.years
    has_actions = isinstance(item, ActionPlan) and item.actions.exists()
    if request.method == "POST":
        form = BudgetForm(request.POST, years=years)
    else:
        form = BudgetForm(initial=BudgetForm.initial_for(item, years), years=years)

    def save():
        services.budget_set(
            item=item,
            amounts=form.amounts(),
            expected_version=form.cleaned_data["version"],
            by=request.user,
        )

    def success():
        messages.success(
            request,
            _("De ramingen van “%(title)s” zijn opgeslagen.") % {"title": item.title},
        )
        return plan_url(scope, anchor_for(item))

    return _edit_page(
        request,
        scope,
        form=form,
        rebind=lambda version: rebind_with_version(BudgetForm, request.POST, version, years=years),
        save=save,
        template="meerjarenplan/budget_form.html",
        context={
            "item": item,
            "level": level,
            "code": _code(scope, item),
            "has_actions": has_actions,
            "years": years,
            "heading": _("Ramingen van “%(title)s”") % {"title": item.title},
            "back_url": plan_url(scope, anchor_for(item)),
        },
        success=success,
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestones_edit(request, nis_code: str, level: str, pk: int):
    """The indicators' milestones of a goal, action plan or action: rows of (indicator,
    target value, year), with empty rows to add; an emptied row is removed."""
    scope = PlanScope(request, nis_code)
    item = _item(scope, level, pk)
    years = item.plan.legislature.years
    formset_kwargs = {"form_kwargs": {"years": years}, "prefix": "mijlpaal"}
    if request.method == "POST":
        formset = MilestoneFormSet(request.POST, **formset_kwargs)
        form = VersionForm(request.POST)
    else:
        formset = MilestoneFormSet(
            initial=[
                {"name": m.name, "target_value": m.target_value, "year": m.year}
                for m in item.milestones.all()
            ],
            **formset_kwargs,
        )
        form = VersionForm(initial={"version": item.version})
    conflict = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.milestones_set(
                item=item,
                milestones=formset.rows(),
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except StaleVersionError as error:
            conflict = error
            form = rebind_with_version(VersionForm, request.POST, error.current.version)
        except ValidationError as error:
            _add_errors(form, error)
        except type(item).DoesNotExist:
            _gone()
        else:
            messages.success(
                request,
                _("De mijlpalen van “%(title)s” zijn opgeslagen.") % {"title": item.title},
            )
            return redirect(plan_url(scope, anchor_for(item)))
    return render(
        request,
        "meerjarenplan/milestones_form.html",
        scope.context(
            form=form,
            formset=formset,
            conflict=conflict,
            item=item,
            level=level,
            code=_code(scope, item),
            heading=_("Mijlpalen van “%(title)s”") % {"title": item.title},
            back_url=plan_url(scope, anchor_for(item)),
        ),
        status=409 if conflict else 200,
    )
