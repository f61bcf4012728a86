import io

import pytest
from pypdf import PdfReader

from apps.beleidsvoorstellen.models import MemorandumSubOption
from apps.documents.pdf import static_only_url_fetcher
from tests.beleidsvoorstellen.factories import (
    MemorandumFactory,
    MemorandumProposalFactory,
    ReasonFactory,
    area,
    level,
    sdg,
)

IMMEDIATE = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}


@pytest.fixture(autouse=True)
def render_jobs_run_immediately(settings):
    """A job runs inside the request's on_commit, in the test's own thread and transaction."""
    settings.TASKS = {"default": IMMEDIATE, "documents": IMMEDIATE}


def fill_memorandum(memorandum, count: int, *, text: str = "<p>Tekst van het voorstel.</p>"):
    """``count`` proposals spread over the three action areas, each with SDGs, a reason and
    one ticked and one unticked sub-option. Returns them in creation order."""
    reason = ReasonFactory(name_nl="Concreet engagement voor de SDG's")
    proposals = []
    for i in range(count):
        proposal = MemorandumProposalFactory(
            memorandum=memorandum,
            action_area=area(["BK", "BU", "SW"][i % 3]),
            level=level(["S", "G", "A"][i % 3]),
            title=f"Voorstel nummer {i + 1:02d}",
            text=text,
            order=i,
        )
        proposal.sdg_goals.set([sdg(17), sdg(1 + i % 16)])
        proposal.reasons.set([reason])
        MemorandumSubOption.objects.create(
            proposal=proposal, text=f"Gekozen optie {i + 1}", ticked=True
        )
        MemorandumSubOption.objects.create(
            proposal=proposal, text="Niet gekozen optie", ticked=False
        )
        proposals.append(proposal)
    return proposals


@pytest.fixture
def memorandum(municipality):
    memorandum = MemorandumFactory(
        municipality=municipality, introduction="<p>Waarom dit memorandum er is.</p>"
    )
    fill_memorandum(memorandum, 6)
    return memorandum


class SpyFetcher:
    """Wraps the real fetcher to record every URL WeasyPrint asks for."""

    def __init__(self):
        self.fetcher = static_only_url_fetcher()
        self.asked: list[str] = []
        original = self.fetcher.fetch

        def fetch(url, headers=None):
            self.asked.append(url)
            return original(url, headers)

        self.fetcher.fetch = fetch


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Text with every run of whitespace as one space: lines wrap wherever the layout says."""
    return " ".join(text.split())


BUNDLED_FONTS = {"LMB-Sans", "LMB-Sans-Italic", "LMB-Sans-Semi-Bold", "LMB-Sans-Bold"}


def embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts the PDF uses; each must be embedded, not referenced."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor  # embedded, not referenced
                names.add(str(descriptor["/FontName"]).split("+", 1)[1])
    return names


# --- the omgevingsanalyse --------------------------------------------------------------------

GUIDANCE_FREE_TEXT = "<p>De gemeente {name} kijkt naar {title}: wat gebeurt er, wie doet mee.</p>"


def fill_analysis(
    municipality,
    opsteller,
    *,
    paragraphs: int = 1,
    swot_per_quadrant: int = 2,
    actors: int = 4,
    figures: int = 2,
):
    """An omgevingsanalyse as an opsteller writes it, through the services only: started from
    the five P's, every section written and tagged, ``figures`` global figures cited in the
    first section, visie & missie, key figures for two years (the computed indicators), the
    staff indicator with values and a target, SWOT items in each quadrant and actors over the
    action areas."""
    from decimal import Decimal

    from apps.core.figures import year_figures_save
    from apps.core.models import Legislature
    from apps.library.models import GlobalFigure
    from apps.omgevingsanalyse import services
    from apps.omgevingsanalyse.models import (
        ActorKind,
        ActorState,
        Quadrant,
        Sphere,
        Structure,
    )

    legislature = Legislature.objects.current()
    analysis = services.analysis_start(
        municipality=municipality,
        legislature=legislature,
        structure=Structure.objects.get(key="vijf-p"),
        by=opsteller,
    )
    vision = services.vision_get_or_create(
        municipality=municipality, legislature=legislature, by=opsteller
    )
    services.vision_update(
        vision=vision,
        vision_text="<p>Een gemeente die eerlijk deelt met de rest van de wereld.</p>",
        mission_text="<p>Het bestuur verankert mondiale solidariteit in elk beleidsdomein.</p>",
        expected_version=vision.version,
        by=opsteller,
    )
    sections = list(analysis.sections.order_by("order"))
    for number, section in enumerate(sections, start=1):
        text = "".join(
            GUIDANCE_FREE_TEXT.format(name=municipality.name, title=section.title)
            for _ in range(paragraphs)
        )
        services.section_update(
            section=section,
            title=section.title,
            text=f"<p>Tekst van sectie {number}.</p>{text}",
            sdg_goals=[sdg(number), sdg(17)],
            expected_version=section.version,
            by=opsteller,
        )
    for figure in GlobalFigure.objects.order_by("order", "key")[:figures]:
        services.figure_cite(section=sections[0], figure=figure, by=opsteller)
    year_figures_save(
        municipality=municipality,
        rows=[
            {
                "year": year,
                "version": 0,
                "total_budget": Decimal("50000000"),
                "lmb_budget": Decimal(budget),
                "inhabitants": 40000,
            }
            for year, budget in ((2023, "60000"), (2024, "90000"))
        ],
        by=opsteller,
    )
    staff = analysis.indicators.get(definition__key="lmb-vte")
    services.indicator_update(
        indicator=staff,
        name=staff.name,
        unit=staff.unit,
        source="Personeelsdienst",
        note="",
        values={
            2022: (Decimal("0.25"), False),
            2024: (Decimal("0.35"), False),
            2031: (Decimal("1"), True),
        },
        expected_version=staff.version,
        by=opsteller,
    )
    areas = [area("BK"), area("BU"), area("SW")]
    for quadrant in Quadrant:
        for n in range(swot_per_quadrant):
            services.swot_item_save(
                analysis=analysis,
                item=None,
                quadrant=quadrant.value,
                text=f"{quadrant.label} punt {n + 1}",
                sdg=sdg(n + 1) if n % 2 == 0 else None,
                action_area=areas[n % 3],
                by=opsteller,
            )
    states, spheres, kinds = list(ActorState), list(Sphere), list(ActorKind)
    for n in range(actors):
        services.actor_save(
            analysis=analysis,
            actor=None,
            name=f"Partner {n + 1}",
            kind=kinds[n % len(kinds)].value,
            sphere=spheres[n % 3].value,
            state=states[n % 3].value,
            action_areas=areas[: 1 + n % 3],
            notes="Interne notitie, niet voor de PDF.",
            by=opsteller,
        )
    analysis.refresh_from_db()
    return analysis


@pytest.fixture
def analysis(municipality, opsteller):
    return fill_analysis(municipality, opsteller)
