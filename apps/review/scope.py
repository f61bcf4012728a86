"""The request scope of the review views: the municipality (a 404 for any other), the
registered document kind (a 404 for an unknown one) and the document, inside the
municipality only."""

from django.http import Http404

from apps.core.scope import MunicipalityScope

from . import registry, selectors


class ReviewScope(MunicipalityScope):
    def __init__(self, request, nis_code: str, kind: str, object_id: int):
        super().__init__(request, nis_code)
        try:
            self.reviewable = registry.get(kind)
        except registry.UnknownDocument:
            raise Http404 from None
        self.document = (
            self.reviewable.model.objects.for_user(request.user)
            .filter(municipality=self.municipality, pk=object_id)
            .select_related("municipality", "legislature")
            .first()
        )
        if self.document is None:
            raise Http404
        self.lock(self.document)
        self.kind = self.reviewable.key
        self.object_id = self.document.pk

    def status(self):
        return selectors.status_info(self.document)

    def context(self, **extra) -> dict:
        return super().context(
            reviewable=self.reviewable,
            document=self.document,
            kind=self.kind,
            document_url=self.reviewable.page_url(self.document),
            **extra,
        )
