"""A worksheet prints as a PDF page in the house layout, through the documents registry."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from apps.core.models import SDGGoal
from apps.documents import registry
from apps.documents.pdf import render_pdf
from apps.documents.services import print_html
from apps.methods import services
from apps.methods.permissions import Participant
from apps.methods.printing import KIND
from tests.documents.conftest import BUNDLED_FONTS, embedded_fonts

from .conftest import open_worksheet

pytestmark = pytest.mark.django_db


def test_the_worksheet_is_a_registered_printable_scoped_to_its_municipality(
    municipality, other_municipality, opsteller
):
    sheet = open_worksheet(municipality, opsteller, "start-stop-verder")
    printable = registry.get(KIND)
    assert printable.load(municipality, sheet.pk) == sheet
    with pytest.raises(sheet.DoesNotExist):
        printable.load(other_municipality, sheet.pk)


def test_a_printed_sdg_circle_has_the_wheel_in_un_colours_and_no_names(municipality, opsteller):
    circle = open_worksheet(municipality, opsteller, "sdg-cirkel", question="Wat doen we?")
    services.contribution_add(
        worksheet=circle,
        participant=Participant(user=opsteller),
        section="al",
        sdg=SDGGoal.objects.get(number=13),
        text="Een klimaatplan",
    )
    document = registry.get(KIND).build(circle)
    html = print_html(document)
    assert html.count("<path ") == 17
    assert 'fill="#3F7E44"' in html  # SDG 13's UN colour
    assert "Een klimaatplan" in html and "Wat doen we?" in html
    assert opsteller.email not in html and str(opsteller) not in html
    pdf = render_pdf(template_name=document.template_name, context=document.context)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Een klimaatplan" in text


def test_a_self_evaluation_still_collecting_prints_no_individual_answer(municipality, opsteller):
    sheet = open_worksheet(municipality, opsteller, "oeso-dac")
    services.contribution_add(
        worksheet=sheet,
        participant=Participant(user=opsteller),
        section="impact",
        question=0,
        text="Een persoonlijk antwoord",
    )
    html = print_html(registry.get(KIND).build(sheet))
    assert "Een persoonlijk antwoord" not in html
    assert "Impact: wat verandert er in de samenleving?" in html


def test_a_theory_of_change_prints_as_a_chain_with_its_assumptions(municipality, opsteller):
    toc = open_worksheet(municipality, opsteller, "veranderingstheorie")
    me = Participant(user=opsteller)
    impact = services.contribution_add(worksheet=toc, participant=me, section="impact", text="I")
    services.contribution_add(
        worksheet=toc,
        participant=me,
        section="outcome",
        parent=impact,
        text="Verenigingen veranderen",
        detail="Omdat vorming werkt",
    )
    document = registry.get(KIND).build(toc)
    html = print_html(document)
    assert html.index("toc-print-impact") < html.index("toc-print-outcome")
    assert "Omdat vorming werkt" in html
    # The diagram: a box per level present, one arrow from the outcome up to the impact, the
    # assumption written on it; set in the bundled font like the rest of the page.
    chain = html[
        html.index('<svg class="toc-chain"') : html.index("</svg>", html.index("toc-chain"))
    ]
    assert chain.count('class="toc-impact"') == 1 and chain.count('class="toc-outcome"') == 1
    assert chain.count("<line ") == 1 and "Omdat vorming werkt" in chain
    pdf = render_pdf(template_name=document.template_name, context=document.context)
    assert embedded_fonts(pdf) <= BUNDLED_FONTS


def test_the_worksheet_page_has_the_pdf_button(client, municipality, opsteller):
    sheet = open_worksheet(municipality, opsteller, "swot")
    client.force_login(opsteller)
    page = client.get(reverse("methods:worksheet", args=[municipality.nis_code, sheet.pk]))
    pdf_url = reverse("documents:document_pdf", args=[municipality.nis_code, KIND, sheet.pk])
    assert f'action="{pdf_url}"' in page.content.decode()
    assert client.get(pdf_url).status_code == 200


def test_outcome_mapping_prints_concentric_spheres_with_escaped_names(municipality, opsteller):
    sheet = open_worksheet(municipality, opsteller, "outcome-mapping")
    me = Participant(user=opsteller)
    services.contribution_add(
        worksheet=sheet, participant=me, section="controle", text="Dienst LMB"
    )
    services.contribution_add(
        worksheet=sheet, participant=me, section="invloed", text="<b>Scholen</b>"
    )
    services.contribution_add(worksheet=sheet, participant=me, section="partner", text="VVSG")
    html = print_html(registry.get(KIND).build(sheet))
    assert html.count("<circle ") == 3
    assert "Dienst LMB" in html and "VVSG" in html
    assert "&lt;b&gt;Scholen&lt;/b&gt;" in html and "<b>Scholen</b>" not in html
