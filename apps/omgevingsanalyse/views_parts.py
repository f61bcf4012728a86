"""The omgevingsanalyse's indicators, SWOT and actors: thin views over the services. Everyone
who is a member reads them on the analysis page; only the opsteller gets these pages and may
POST (403 for the others), and every row is reached through the user's scope (404 for another
municipality's)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.editing import StaleVersionError, rebind_with_version, versioned_edit
from apps.core.figures import figure_years
from apps.core.http import bad_request

from . import services
from .forms_parts import (
    ActorEditForm,
    ActorForm,
    IndicatorCreateForm,
    IndicatorForm,
    SwotEditForm,
    SwotForm,
)
from .models import Actor, Indicator, Quadrant, SwotItem
from .scope import AnalysisScope

INDICATORS = "indicatoren"
SWOT = "swot"
ACTORS = "actoren"


def _analysis_url(scope: AnalysisScope, anchor: str) -> str:
    url = reverse("omgevingsanalyse:analysis", args=[scope.municipality.nis_code])
    return f"{url}#{anchor}"


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _gone():
    """A row deleted between loading it and saving: a 404, not a 500."""
    raise Http404(_("Dit onderdeel is intussen verwijderd."))


def _delete_page(request, scope, *, obj, template, delete, message, anchor):
    if request.method == "POST":
        delete()
        messages.success(request, message)
        return redirect(_analysis_url(scope, anchor))
    return render(
        request,
        template,
        scope.context(obj=obj, back_url=_analysis_url(scope, anchor)),
    )


# --- indicators ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request, nis_code: str):
    scope = AnalysisScope(request, nis_code)
    scope.require_edit()
    analysis = scope.require_analysis()
    form = IndicatorCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(
                analysis=analysis, **form.cleaned_data, by=scope.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("De indicator “%(name)s” is toegevoegd; vul nu de waarden per jaar in.")
                % {"name": indicator.name},
            )
            return redirect("omgevingsanalyse:indicator_edit", nis_code=nis_code, pk=indicator.pk)
    return render(
        request,
        "omgevingsanalyse/indicator_create.html",
        scope.context(
            form=form,
            heading=_("Eigen indicator toevoegen"),
            submit_label=_("Toevoegen"),
            back_url=_analysis_url(scope, INDICATORS),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, nis_code: str, pk: int):
    """The versioned edit flow of apps.core.editing, plus the service's own refusals (a value
    out of bounds) shown on the form."""
    scope = AnalysisScope(request, nis_code)
    indicator = scope.part(Indicator, pk)
    scope.require_edit()
    legislature = scope.analysis.legislature
    years = figure_years(legislature)
    form_kwargs = {"indicator": indicator, "years": years}
    conflict = None
    if request.method == "POST":
        form = IndicatorForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.indicator_update(
                    indicator=indicator,
                    name=data.get("name", indicator.name),
                    unit=data.get("unit", indicator.unit),
                    source=data["source"],
                    note=data["note"],
                    values=form.values(),
                    expected_version=data["version"],
                    by=scope.user,
                )
            except Indicator.DoesNotExist:
                _gone()
            except StaleVersionError as error:
                conflict = error
                form = rebind_with_version(
                    IndicatorForm, request.POST, error.current.version, **form_kwargs
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request, _("De indicator “%(name)s” is opgeslagen.") % {"name": saved.name}
                )
                return redirect(_analysis_url(scope, f"indicator-{indicator.pk}"))
    else:
        form = IndicatorForm(
            initial=IndicatorForm.initial_for(indicator, years, legislature.start_year),
            **form_kwargs,
        )
    return render(
        request,
        "omgevingsanalyse/indicator_edit.html",
        scope.context(
            form=form,
            conflict=conflict,
            indicator=indicator,
            heading=_("Indicator bewerken"),
            back_url=_analysis_url(scope, f"indicator-{indicator.pk}"),
        ),
        status=409 if conflict else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_delete(request, nis_code: str, pk: int):
    scope = AnalysisScope(request, nis_code)
    indicator = scope.part(Indicator, pk)
    scope.require_edit()
    if indicator.definition_id:
        # Every analysis follows the guide's indicators; without values they stay empty.
        return bad_request(
            request,
            _(
                "Een indicator uit de gids kan je niet verwijderen. Volg je hem niet op, laat "
                "dan de waarden leeg."
            ),
        )
    return _delete_page(
        request,
        scope,
        obj=indicator,
        template="omgevingsanalyse/indicator_delete.html",
        delete=lambda: services.indicator_delete(indicator=indicator, by=scope.user),
        message=_("De indicator “%(name)s” is verwijderd.") % {"name": indicator.name},
        anchor=INDICATORS,
    )


# --- SWOT ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def swot_create(request, nis_code: str):
    scope = AnalysisScope(request, nis_code)
    scope.require_edit()
    analysis = scope.require_analysis()
    if request.method == "POST":
        form = SwotForm(request.POST)
        if form.is_valid():
            try:
                services.swot_item_save(
                    analysis=analysis, item=None, **form.item_data(), by=scope.user
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Het SWOT-element is toegevoegd."))
                return redirect(_analysis_url(scope, SWOT))
    else:
        quadrant = request.GET.get("quadrant", "")
        form = SwotForm(initial={"quadrant": quadrant} if quadrant in Quadrant.values else {})
    return render(
        request,
        "omgevingsanalyse/swot_form.html",
        scope.context(
            form=form,
            heading=_("SWOT-element toevoegen"),
            submit_label=_("Toevoegen"),
            back_url=_analysis_url(scope, SWOT),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def swot_edit(request, nis_code: str, pk: int):
    scope = AnalysisScope(request, nis_code)
    item = scope.part(SwotItem, pk)
    scope.require_edit()

    def save(form):
        try:
            services.swot_item_save(
                analysis=scope.analysis,
                item=item,
                **form.item_data(),
                expected_version=form.cleaned_data["version"],
                by=scope.user,
            )
        except SwotItem.DoesNotExist:
            _gone()

    return versioned_edit(
        request,
        form_class=SwotEditForm,
        initial=lambda: SwotEditForm.initial_for(item),
        save=save,
        success_url=_analysis_url(scope, SWOT),
        success_message=_("Het SWOT-element is opgeslagen."),
        template="omgevingsanalyse/swot_form.html",
        context=scope.context(
            item=item, heading=_("SWOT-element bewerken"), back_url=_analysis_url(scope, SWOT)
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def swot_delete(request, nis_code: str, pk: int):
    scope = AnalysisScope(request, nis_code)
    item = scope.part(SwotItem, pk)
    scope.require_edit()
    return _delete_page(
        request,
        scope,
        obj=item,
        template="omgevingsanalyse/swot_delete.html",
        delete=lambda: services.swot_item_delete(item=item, by=scope.user),
        message=_("Het SWOT-element is verwijderd."),
        anchor=SWOT,
    )


# --- actors --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def actor_create(request, nis_code: str):
    scope = AnalysisScope(request, nis_code)
    scope.require_edit()
    analysis = scope.require_analysis()
    form = ActorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actor = services.actor_save(
                analysis=analysis, actor=None, **form.actor_data(), by=scope.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("De actor “%(name)s” is toegevoegd.") % {"name": actor.name}
            )
            return redirect(_analysis_url(scope, ACTORS))
    return render(
        request,
        "omgevingsanalyse/actor_form.html",
        scope.context(
            form=form,
            heading=_("Actor toevoegen"),
            submit_label=_("Toevoegen"),
            back_url=_analysis_url(scope, ACTORS),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def actor_edit(request, nis_code: str, pk: int):
    scope = AnalysisScope(request, nis_code)
    actor = scope.part(Actor, pk)
    scope.require_edit()

    def save(form):
        try:
            services.actor_save(
                analysis=scope.analysis,
                actor=actor,
                **form.actor_data(),
                expected_version=form.cleaned_data["version"],
                by=scope.user,
            )
        except Actor.DoesNotExist:
            _gone()

    return versioned_edit(
        request,
        form_class=ActorEditForm,
        initial=lambda: ActorEditForm.initial_for(actor),
        save=save,
        success_url=_analysis_url(scope, ACTORS),
        success_message=_("De actor is opgeslagen."),
        template="omgevingsanalyse/actor_form.html",
        context=scope.context(
            actor=actor, heading=_("Actor bewerken"), back_url=_analysis_url(scope, ACTORS)
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def actor_delete(request, nis_code: str, pk: int):
    scope = AnalysisScope(request, nis_code)
    actor = scope.part(Actor, pk)
    scope.require_edit()
    return _delete_page(
        request,
        scope,
        obj=actor,
        template="omgevingsanalyse/actor_delete.html",
        delete=lambda: services.actor_delete(actor=actor, by=scope.user),
        message=_("De actor “%(name)s” is verwijderd.") % {"name": actor.name},
        anchor=ACTORS,
    )
