"""The municipality's key figures per year: typed once by the opsteller, read by everyone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .editing import StaleVersionError
from .figures import figure_years, year_figures, year_figures_save
from .forms import YearFiguresFormSet
from .http import bad_request
from .scope import MunicipalityScope

PREFIX = "jaar"


def _initial(figures) -> list[dict]:
    return [
        {
            "year": f.year,
            "version": f.version,
            "total_budget": f.total_budget,
            "lmb_budget": f.typed_lmb_budget,
            "inhabitants": f.typed_inhabitants,
        }
        for f in figures
    ]


@login_required
@require_http_methods(["GET", "POST"])
def figures_edit(request, nis_code: str):
    scope = MunicipalityScope(request, nis_code)
    years = figure_years(scope.legislature)
    figures = year_figures(scope.municipality, years)
    conflict = None
    formset = None
    status = 200
    if request.method == "POST":
        scope.require_edit()
        formset = YearFiguresFormSet(request.POST, prefix=PREFIX, years=years)
        if len(formset.forms) != len(years):
            return bad_request(
                request, _("Het formulier met de kerncijfers is onvolledig aangekomen.")
            )
        if formset.is_valid():
            try:
                year_figures_save(
                    municipality=scope.municipality,
                    rows=[form.cleaned_data for form in formset.forms],
                    by=request.user,
                )
            except StaleVersionError as error:
                conflict = error
                status = 409
                data = request.POST.copy()
                for index, figure in enumerate(error.current):
                    data[f"{PREFIX}-{index}-version"] = str(figure.version)
                formset = YearFiguresFormSet(data, prefix=PREFIX, years=years)
                formset.is_valid()
            else:
                messages.success(request, _("De kerncijfers zijn opgeslagen."))
                return redirect("core:figures", nis_code=nis_code)
        else:
            status = 200
    elif scope.can_edit:
        formset = YearFiguresFormSet(initial=_initial(figures), prefix=PREFIX, years=years)
    rows = list(zip(figures, formset.forms if formset else [None] * len(figures), strict=True))
    return render(
        request,
        "core/figures.html",
        scope.context(
            rows=rows,
            formset=formset,
            conflict=conflict,
            municipality_inhabitants=scope.municipality.inhabitants,
        ),
        status=status,
    )
