"""The request scope of the omgevingsanalyse's and visie & missie's views."""

from django.http import Http404

from apps.core.scope import MunicipalityScope

from . import selectors, services


class AnalysisScope(MunicipalityScope):
    """The municipality, legislature, visie & missie and analysis a request works in."""

    def __init__(self, request, nis_code: str):
        super().__init__(request, nis_code)
        self.analysis = selectors.analysis_for(
            user=request.user, municipality=self.municipality, legislature=self.legislature
        )
        self.vision = selectors.vision_for(
            user=request.user, municipality=self.municipality, legislature=self.legislature
        )
        # The analysis's pages edit the analysis; the vision's call use_vision().
        self.document = self.analysis
        self.lock(self.analysis)

    def use_vision(self) -> None:
        """This request works on visie & missie: its review state decides what is editable."""
        self.document = self.vision
        self.lock(self.vision)

    def require_analysis(self):
        if self.analysis is None:
            raise Http404
        return self.analysis

    def ensure_vision(self):
        if self.vision is None:
            if self.legislature is None:
                raise Http404
            self.vision = services.vision_get_or_create(
                municipality=self.municipality, legislature=self.legislature, by=self.user
            )
        return self.vision

    def part(self, model, pk: int):
        """A section, indicator, SWOT item, actor or answer of this analysis, or a 404."""
        return selectors.part_for_user(
            model, user=self.user, analysis=self.require_analysis(), pk=pk
        )

    def context(self, **extra) -> dict:
        return super().context(analysis=self.analysis, vision=self.vision, **extra)
