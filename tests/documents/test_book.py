"""The plan book (issue 11, point 4): visie & missie, omgevingsanalyse, memorandum and
meerjarenplan of the current legislature in one PDF with one cover, one table of contents and
page numbers running through, read back with pypdf; a part not begun yet is left out; the
book is scoped to the municipality like every document."""

import io
import re

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from pypdf import PdfReader

from apps.core.models import Legislature, Municipality
from apps.documents import registry
from apps.documents.book import KEY, book_of, prefix_anchors
from apps.documents.models import JobStatus, RenderJob
from apps.documents.pdf import BASE_URL, render_pdf

from .conftest import flat, pdf_pages
from .test_pdf_ua import assert_pdf_ua_1

pytestmark = pytest.mark.django_db

PART_ORDER = ["visie-missie", "omgevingsanalyse", "memorandum", "meerjarenplan"]


def book_url(municipality, legislature=None):
    legislature = legislature or Legislature.objects.current()
    return reverse("documents:document_pdf", args=[municipality.nis_code, KEY, legislature.pk])


def book_document(municipality):
    return registry.document_for(
        kind=KEY, municipality=municipality, object_id=Legislature.objects.current().pk
    )


def html_of(document) -> str:
    return render_to_string(
        document.template_name, {**document.context, "print_base_url": BASE_URL}
    )


def outline_top_level(pdf: bytes) -> list[str]:
    return [item.title for item in PdfReader(io.BytesIO(pdf)).outline if not isinstance(item, list)]


def outline_children(pdf: bytes) -> dict[str, list[str]]:
    """Each top-level outline entry's titles one level below it."""
    outline = PdfReader(io.BytesIO(pdf)).outline
    children = {}
    for item, after in zip(outline, [*outline[1:], None], strict=True):
        if not isinstance(item, list):
            nested = after if isinstance(after, list) else []
            children[item.title] = [child.title for child in nested if not isinstance(child, list)]
    return children


def contents_page_number(contents: str, title: str) -> int:
    """The page number the table of contents gives a title ("Title ..... 7")."""
    match = re.search(rf"{re.escape(title)}\s*\.+\s*(\d+)", contents)
    assert match, f"{title!r} not in the contents"
    return int(match.group(1))


@pytest.fixture
def demodorp(db):
    call_command("load_demo", verbosity=0)
    return Municipality.objects.get(nis_code="99001")


def test_the_book_parts_are_registered_in_their_order():
    assert [printable.key for printable in registry.book_parts()] == PART_ORDER
    assert registry.is_registered(KEY)


def test_the_demo_book_has_one_cover_one_contents_and_running_page_numbers(demodorp):
    document = book_document(demodorp)
    titles = [part["title"] for part in document.context["parts"]]
    assert [part["key"] for part in document.context["parts"]] == PART_ORDER
    assert document.context["missing"] == []

    pdf = render_pdf(template_name=document.template_name, context=document.context)
    pages = pdf_pages(pdf)
    legislature = Legislature.objects.current()

    # One cover, the first page: the book's title and period, and no part's own cover.
    assert "Planboek" in pages[0] and f"Planperiode {legislature}" in pages[0]
    assert [i for i, text in enumerate(pages) if f"Planperiode {legislature}" in text] == [0]
    everything = flat(" ".join(pages))
    assert "Ambtelijk memorandum in het kader van de beleids- en beheerscyclus" not in everything
    assert "Omgevingsanalyse in het kader van de beleids- en beheerscyclus" not in everything

    # One table of contents, listing the four parts with the page each starts on.
    contents_pages = [i for i, text in enumerate(pages) if text.startswith("Inhoud")]
    assert contents_pages == [1]
    contents = flat(pages[1])
    starts = []
    for title in titles:
        start = next(i for i, text in enumerate(pages) if flat(text).startswith(title)) + 1
        assert contents_page_number(contents, title) == start
        starts.append(start)
    assert starts == sorted(starts) and starts[0] == 3

    # Page numbers run through the whole book: every page after the cover says which it is.
    for number, text in enumerate(pages[1:], start=2):
        assert re.search(rf"pagina {number} van {len(pages)}\b", text), number

    # The PDF outline has the parts as its top level, their chapters below them.
    assert outline_top_level(pdf) == titles
    below = outline_children(pdf)
    assert below[titles[1]][0] == "Inleiding"
    assert below[titles[2]][:2] == ["Samenvatting van de beleidsvoorstellen", "Inleiding"]
    assert below[titles[3]][0] == "Strategische nota: lokaal mondiaal beleid"


def test_the_book_links_resolve_inside_the_book(demodorp):
    """Two parts use the same anchor ("inleiding", "overzicht"): in the book each part's
    anchors carry its key, so every id is unique and every link has its target."""
    html = html_of(book_document(demodorp))
    ids = re.findall(r'\sid="([^"]+)"', html)
    links = set(re.findall(r'\shref="#([^"]+)"', html))
    assert len(ids) == len(set(ids))
    assert links <= set(ids)
    assert {"memorandum--inleiding", "omgevingsanalyse--inleiding"} <= set(ids)
    assert "meerjarenplan--overzicht" in links
    # One document: one <html>, one cover, one table of contents.
    assert html.count("<html") == 1
    assert html.count('<section class="cover') == 1
    assert html.count('<nav class="toc"') == 1


def test_prefix_anchors_renames_ids_and_every_reference_to_them():
    html = (
        '<a href="#a">x</a><svg aria-labelledby="t d"><title id="t"></title>'
        '<desc id="d"></desc><rect fill="url(#g)"/></svg><a href="https://example.org/#a">y</a>'
    )
    assert prefix_anchors(html, "p--") == (
        '<a href="#p--a">x</a><svg aria-labelledby="p--t p--d"><title id="p--t"></title>'
        '<desc id="p--d"></desc><rect fill="url(#p--g)"/></svg>'
        '<a href="https://example.org/#a">y</a>'
    )


def test_a_part_not_begun_is_left_out_and_the_contents_say_so(municipality, memorandum):
    document = book_document(municipality)
    assert [part["key"] for part in document.context["parts"]] == ["memorandum"]
    pdf = render_pdf(template_name=document.template_name, context=document.context)
    pages = pdf_pages(pdf)
    contents = flat(next(text for text in pages if text.startswith("Inhoud")))
    assert contents_page_number(contents, memorandum.title) == 3
    assert (
        "Nog niet begonnen en daarom niet opgenomen: Visie en missie · Omgevingsanalyse · "
        "Meerjarenplan"
    ) in contents
    assert "Nog niet begonnen Visie en missie · Omgevingsanalyse · Meerjarenplan" in flat(pages[0])
    assert outline_top_level(pdf) == [memorandum.title]
    # PDF/UA-1 as every document, titled as the book, dated as its latest part.
    reader = assert_pdf_ua_1(pdf)
    assert reader.metadata.title == "Planboek — Teststad"
    assert reader.metadata.modification_date == memorandum.updated_at.replace(microsecond=0)


def test_each_part_alone_is_printed_as_before(memorandum):
    """The book's markers are only written inside the book: the memorandum's own PDF keeps
    its cover and contents and has no trace of the book."""
    document = registry.document_for(
        kind="memorandum", municipality=memorandum.municipality, object_id=memorandum.pk
    )
    html = html_of(document)
    assert "lmb-book" not in html and "book-part" not in html
    assert html.count('<nav class="toc"') == 1 and '<section class="cover' in html


def test_without_any_part_there_is_no_book(municipality, opsteller, client):
    with pytest.raises(ObjectDoesNotExist):
        book_of(municipality, Legislature.objects.current().pk)
    client.force_login(opsteller)
    assert client.get(book_url(municipality)).status_code == 404
    assert client.post(book_url(municipality)).status_code == 404
    assert not RenderJob.objects.exists()


def test_another_municipalitys_book_is_a_404(client, memorandum, outsider, other_municipality):
    client.force_login(outsider)
    assert client.get(book_url(memorandum.municipality)).status_code == 404
    assert client.post(book_url(memorandum.municipality)).status_code == 404
    # Under one's own municipality the same legislature is one's own book: without parts.
    assert client.get(book_url(other_municipality)).status_code == 404
    with pytest.raises(ObjectDoesNotExist):
        book_of(other_municipality, memorandum.legislature.pk)
    assert not RenderJob.objects.exists()


def test_an_unknown_legislature_is_a_404(client, memorandum, opsteller):
    client.force_login(opsteller)
    url = reverse("documents:document_pdf", args=[memorandum.municipality.nis_code, KEY, 999_999])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["lezer", "schepen", "opsteller"])
def test_every_member_gets_the_book_pdf(
    request, role, client, memorandum, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    url = book_url(memorandum.municipality)
    page = client.get(url)
    assert page.status_code == 200
    assert "Planboek" in page.text
    dashboard = reverse("core:dashboard", args=[memorandum.municipality.nis_code])
    assert f'<a href="{dashboard}">Terug naar het document</a>' in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    job = RenderJob.objects.get(pk=response["Location"].split("/")[-2])
    assert (job.kind, job.object_id, job.status) == (KEY, memorandum.legislature.pk, JobStatus.DONE)
    download = client.get(
        reverse("documents:job_download", args=[memorandum.municipality.nis_code, job.pk])
    )
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        f'attachment; filename="planboek-teststad-{memorandum.legislature}.pdf"'
    )
    assert outline_top_level(download.content) == [memorandum.title]


def test_the_dashboard_offers_the_book_once_a_part_is_begun(client, municipality, opsteller):
    client.force_login(opsteller)
    dashboard = reverse("core:dashboard", args=[municipality.nis_code])
    before = client.get(dashboard).text
    assert "Het planboek is beschikbaar zodra een van de planningsdocumenten begonnen is." in before
    assert book_url(municipality) not in before

    from tests.beleidsvoorstellen.factories import MemorandumFactory

    MemorandumFactory(municipality=municipality)
    after = client.get(dashboard).text
    assert f'action="{book_url(municipality)}"' in after
    assert "Planboek als PDF" in after and "Planboek als Word-bestand" in after
    # Two forms to the book's page: the PDF, and the Word file (output=docx).
    assert after.count(f'action="{book_url(municipality)}"') == 2
    assert '<input type="hidden" name="output" value="docx">' in after
    assert "Nog niet begonnen en daarom niet opgenomen:" in after
