"""Issue 8's path in Chromium, axe-checked on every page: the opsteller of a municipality
without a plan starts one from a structure, turns two memorandum proposals into actions,
enters budgets, moves an action to another action plan and sees the codes follow, looks at
M1 and the 0.7 % chart, exports the XLSX, changes a figure in it and imports it back, and
reads the PDF back."""

import io
import os
import re

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import assert_accessible, dashboard_card, login

pytestmark = pytest.mark.django_db(transaction=True)

OPSTELLER = "andere@demo.lmbplanner.be"  # Anderegem: no plan, no memorandum yet


@pytest.fixture
def memorandum_with_two_proposals(demo):
    from apps.accounts.models import User
    from apps.beleidsvoorstellen.services import memorandum_get_or_create, proposal_adopt
    from apps.core.models import Legislature, Municipality
    from apps.library.models import LibraryProposal

    call_command("load_library", "fixtures/library.yaml", stdout=open(os.devnull, "w"))  # noqa: SIM115
    user = User.objects.get(email=OPSTELLER)
    memorandum = memorandum_get_or_create(
        municipality=Municipality.objects.get(nis_code="99002"),
        legislature=Legislature.objects.current(),
        by=user,
    )
    return [
        proposal_adopt(
            memorandum=memorandum,
            library_proposal=LibraryProposal.objects.get(key=key),
            by=user,
        )
        for key in ("BK-G4", "SW-G2")
    ]


def named(action, code):
    return re.compile(rf"^{action}\s*:\s*{re.escape(code)}\b")


def test_opsteller_builds_a_plan_with_budgets_spreadsheet_and_pdf(
    page, memorandum_with_two_proposals, tmp_path
):
    first, second = memorandum_with_two_proposals
    login(page, OPSTELLER)
    dashboard_card(page, "Meerjarenplan").get_by_role("link", name="Beginnen").click()
    assert_accessible(page)
    page.get_by_label("Eigen actieplannen onder een bredere beleidsdoelstelling").check()
    page.get_by_role("button", name="Beginnen", exact=True).click()
    expect(page.get_by_text("AP1.3").first).to_be_visible()
    assert_accessible(page)

    # Two memorandum proposals become actions of the first action plan.
    for proposal in (first, second):
        page.get_by_role("link", name="Voorstellen uit het memorandum bekijken").click()
        assert_accessible(page)
        page.locator(f"#doel-{proposal.pk}").select_option(index=1)
        page.get_by_role(
            "button", name=re.compile(rf"In het plan opnemen\s*:\s*{re.escape(proposal.title)}")
        ).click()
        expect(page.get_by_text(proposal.title).first).to_be_visible()
    plan_url = page.url.split("#")[0]

    # Budgets on the first action.
    page.get_by_role("link", name=named("Budget", "AC1.1.1")).click()
    assert_accessible(page)
    page.get_by_label("Exploitatie, uitgaven, 2026").fill("12.500")
    page.get_by_label("Exploitatie, uitgaven, 2027").fill("15.000,50")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("15.000,50").first).to_be_visible()

    # Move the action with the budget to the second action plan: the codes follow.
    page.get_by_role("link", name=named("Verhuizen", "AC1.1.1")).click()
    assert_accessible(page)
    page.locator("select[name=target]").select_option(index=1)
    page.get_by_role("button", name="Verhuizen").click()
    expect(page.get_by_text(re.compile(r"is verhuisd"))).to_be_visible()

    # M1 and the growth path towards 0.7 %.
    page.get_by_role("link", name="M1-schema", exact=True).click()
    assert_accessible(page)
    expect(page.get_by_role("table").first).to_contain_text("12.500,00")
    page.goto(plan_url)
    page.get_by_role("link", name="Groeipad naar 0,7 %", exact=True).click()
    assert_accessible(page)
    expect(page.locator("svg.lmb-chart")).to_be_visible()

    # The spreadsheet: export, change one figure, import it back.
    page.goto(plan_url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (XLSX)").click()
    exported = tmp_path / "plan.xlsx"
    download_info.value.save_as(exported)
    workbook = openpyxl.load_workbook(exported)
    sheet = workbook["Budgetten"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("2026 exploitatie uitgaven") + 1
    # The action with the budget moved to another action plan: its code followed.
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, column).value == 12500)
    new_code = sheet.cell(row, 1).value
    assert re.fullmatch(r"AC1\.[23]\.\d", new_code), new_code
    sheet.cell(row, column).value = 13750
    workbook.save(exported)
    page.get_by_role("link", name="Bedragen importeren").click()
    assert_accessible(page)
    page.locator("input[type=file]").set_input_files(str(exported))
    page.get_by_role("button", name="Inlezen").click()
    expect(page.get_by_text(re.compile(r"1 bedrag"))).to_be_visible()
    expect(page.get_by_text("13.750,00").first).to_be_visible()

    # The PDF, read back.
    # One click: the job page follows the render and starts the download when it is ready.
    with page.expect_download(timeout=90_000) as download_info:
        page.get_by_role("button", name="PDF", exact=True).click()
    expect(page.get_by_text("De PDF is klaar.")).to_be_visible()
    assert_accessible(page)
    reader = PdfReader(io.BytesIO(open(download_info.value.path(), "rb").read()))  # noqa: SIM115
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert text.index("BD1") < text.index("AP1.1") < text.index("AP1.2") < text.index("AC1.2.1")
    assert "13.750,00" in text and "15.000,50" in text
    assert "0,7 %" in text
