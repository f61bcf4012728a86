"""The way back from a document to its worksheet: every item a worksheet handed over shows
"Uit werkblad: <title> (<method>)" on its document's page, as a link to the worksheet, for the
drafter and for the reader; in one query for the page, and never in the printed PDF or Word."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.beleidsvoorstellen import services as memorandum_services
from apps.core.models import ActionArea, AmbitionLevel
from apps.documents import registry
from apps.documents.word import render_docx
from apps.methods import services
from apps.methods.models import Transfer
from apps.methods.permissions import Participant
from apps.methods.selectors import origin_key, origins_for

from .conftest import open_worksheet
from .test_swot import start_analysis
from .test_transfer import _plan_with_action_plan

pytestmark = pytest.mark.django_db

MARK = "worksheet-origin"


def add(worksheet, user, **fields):
    return services.contribution_add(
        worksheet=worksheet, participant=Participant(user=user), **fields
    )


def link(worksheet) -> str:
    return reverse("methods:worksheet", args=[worksheet.municipality.nis_code, worksheet.pk])


def label(worksheet) -> str:
    return f"Uit werkblad: {worksheet.title} ({worksheet.method.name})"


def page(client, name, municipality) -> str:
    response = client.get(reverse(name, args=[municipality.nis_code]))
    assert response.status_code == 200
    return response.content.decode()


def shows_origin(html: str, worksheet) -> bool:
    return f'href="{link(worksheet)}"' in html and label(worksheet) in html


# --- what the items become -------------------------------------------------------------------


def ideas_to_proposals(worksheet, opsteller, count: int, start: int = 0):
    group = worksheet.groups.first()
    return [
        services.contribution_to_proposal(
            contribution=add(
                worksheet, opsteller, section="idee", group=group, text=f"Idee {start + i}"
            ),
            action_area=ActionArea.objects.first(),
            level=AmbitionLevel.objects.first(),
            by=opsteller,
        )
        for i in range(count)
    ]


def toc_output(municipality, opsteller):
    toc = open_worksheet(municipality, opsteller, "veranderingstheorie", title="Onze verandering")
    impact = add(toc, opsteller, section="impact", text="I")
    outcome = add(toc, opsteller, section="outcome", parent=impact, text="O")
    return add(toc, opsteller, section="output", parent=outcome, text="P")


def activities_to_actions(output, action_plan, opsteller, count: int, start: int = 0):
    return [
        services.contribution_to_action(
            contribution=add(
                output.worksheet,
                opsteller,
                section="activiteit",
                parent=output,
                text=f"Activiteit {start + i}",
            ),
            action_plan=action_plan,
            by=opsteller,
        )
        for i in range(count)
    ]


def swot_notes_to_items(worksheet, opsteller, count: int, start: int = 0):
    return [
        services.contribution_to_swot(
            contribution=add(worksheet, opsteller, section="S", text=f"Sterkte {start + i}"),
            by=opsteller,
        )
        for i in range(count)
    ]


@pytest.fixture
def analysis(municipality, opsteller):
    return start_analysis(municipality, opsteller)


# --- the pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["opsteller", "lezer"])
def test_a_proposal_from_a_worksheet_links_back_on_the_memorandum_page(
    request, client, municipality, opsteller, brainwriting, role
):
    (proposal,) = ideas_to_proposals(brainwriting, opsteller, 1)
    memorandum = proposal.memorandum
    own = memorandum_services.proposal_create_own(
        memorandum=memorandum,
        action_area=ActionArea.objects.first(),
        level=AmbitionLevel.objects.first(),
        title="Zelf geschreven",
        text="Niet uit een werkblad",
        justification="",
        by=opsteller,
    )
    client.force_login(request.getfixturevalue(role))
    html = page(client, "beleidsvoorstellen:memorandum", municipality)
    assert shows_origin(html, brainwriting)
    # Only the proposal that came from the worksheet says so: one mark, inside its own card.
    assert html.count(MARK) == 1
    assert MARK in card_of(html, proposal)
    assert MARK not in card_of(html, own)


def card_of(html: str, proposal) -> str:
    start = html.index(f'id="voorstel-{proposal.pk}"')
    return html[start : html.index("</article>", start)]


def test_an_action_from_a_worksheet_links_back_on_the_plan_page(
    client, municipality, opsteller, lezer
):
    output = toc_output(municipality, opsteller)
    action_plan = _plan_with_action_plan(municipality, opsteller)
    (action,) = activities_to_actions(output, action_plan, opsteller, 1)
    for user in (opsteller, lezer):
        client.force_login(user)
        html = page(client, "meerjarenplan:plan", municipality)
        assert shows_origin(html, output.worksheet)
        assert html.count(MARK) == 1  # the action, not its goal or action plan
        article = html[html.index(f'id="item-action-{action.pk}"') :]
        assert article.index(MARK) < article.index("</article>")


def test_sections_actors_indicators_and_swot_items_link_back_on_the_analysis_page(
    client, municipality, opsteller, lezer, analysis
):
    oecd = open_worksheet(municipality, opsteller, "oeso-dac", title="Evaluatie 2020-2025")
    services.evaluation_save(
        worksheet=oecd,
        criterion="impact",
        text="Weinig opvolging",
        expected_version=0,
        by=opsteller,
    )
    section = services.evaluation_to_analysis(worksheet=oecd, by=opsteller)
    swot = open_worksheet(municipality, opsteller, "swot", title="SWOT-workshop")
    (item,) = swot_notes_to_items(swot, opsteller, 1)
    initiatives = open_worksheet(municipality, opsteller, "initiatieven", title="Kaart")
    initiative = add(
        initiatives, opsteller, section="nieuw", text="Wereldfeest", detail="Jeugdraad"
    )
    actor = services.contribution_to_actor(
        contribution=initiative, kind="ngo", sphere="invloed", state="nieuw", by=opsteller
    )
    mapping = open_worksheet(municipality, opsteller, "outcome-mapping", title="Uitkomsten")
    partner = add(mapping, opsteller, section="invloed", text="Dienst aankoop")
    marker = add(mapping, opsteller, section="verwacht", parent=partner, text="Fairtrade-koffie")
    indicator = services.marker_to_indicator(contribution=marker, by=opsteller)
    for user in (opsteller, lezer):
        client.force_login(user)
        html = page(client, "omgevingsanalyse:analysis", municipality)
        for worksheet, anchor, end in (
            (oecd, f'id="sectie-{section.pk}"', "</section>"),
            (swot, f'id="swot-element-{item.pk}"', "</li>"),
            (initiatives, f'id="actor-{actor.pk}"', "</tr>"),
            (mapping, f'id="indicator-{indicator.pk}"', "</article>"),
        ):
            assert shows_origin(html, worksheet)
            start = html.index(anchor)
            # The mark stands in the item itself.
            assert label(worksheet) in html[start : html.index(end, start)]
        assert html.count(MARK) == 4


def test_a_transfer_from_another_municipality_s_worksheet_is_not_shown(
    client, municipality, opsteller, brainwriting, other_municipality, outsider
):
    """Only the municipality's own worksheets: a row pointing elsewhere (that no service makes)
    does not leak another municipality's worksheet title onto the page."""
    (proposal,) = ideas_to_proposals(brainwriting, opsteller, 1)
    foreign = open_worksheet(other_municipality, outsider, "brainwriting", title="Elders")
    transfer = Transfer.objects.get()
    transfer.contribution = None
    transfer.worksheet = foreign
    transfer.save()
    client.force_login(opsteller)
    html = page(client, "beleidsvoorstellen:memorandum", municipality)
    assert "Elders" not in html and MARK not in html
    assert origins_for([proposal], municipality=municipality) == {}
    assert origins_for([proposal], municipality=other_municipality) == {
        origin_key(proposal): foreign
    }


def test_origins_for_is_one_query_for_objects_of_several_models(
    municipality, opsteller, brainwriting, analysis, django_assert_num_queries
):
    proposals = ideas_to_proposals(brainwriting, opsteller, 3)
    swot = open_worksheet(municipality, opsteller, "swot", title="SWOT-workshop")
    items = swot_notes_to_items(swot, opsteller, 2)
    with django_assert_num_queries(1):
        origins = origins_for([*proposals, *items], municipality=municipality)
        titles = {
            key: (w.title, w.method.name, w.municipality.nis_code) for key, w in origins.items()
        }
    nis = municipality.nis_code
    assert titles == {
        **{origin_key(p): (brainwriting.title, brainwriting.method.name, nis) for p in proposals},
        **{origin_key(i): ("SWOT-workshop", swot.method.name, nis) for i in items},
    }
    with django_assert_num_queries(0):
        assert origins_for([], municipality=municipality) == {}


# --- a fixed number of queries ----------------------------------------------------------------


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_the_memorandum_page_runs_as_many_queries_for_3_as_for_30_proposals_from_a_worksheet(
    client, municipality, opsteller, brainwriting, django_assert_num_queries
):
    ideas_to_proposals(brainwriting, opsteller, 3)
    client.force_login(opsteller)
    path = reverse("beleidsvoorstellen:memorandum", args=[municipality.nis_code])
    client.get(path)  # the first request of a session may touch it
    few = _count(client, path)
    ideas_to_proposals(brainwriting, opsteller, 27, start=3)
    with django_assert_num_queries(few):
        html = client.get(path).content.decode()
    assert html.count(MARK) == 30


def test_the_plan_page_runs_as_many_queries_for_3_as_for_30_actions_from_a_worksheet(
    client, municipality, opsteller, django_assert_num_queries
):
    output = toc_output(municipality, opsteller)
    action_plan = _plan_with_action_plan(municipality, opsteller)
    activities_to_actions(output, action_plan, opsteller, 3)
    client.force_login(opsteller)
    path = reverse("meerjarenplan:plan", args=[municipality.nis_code])
    client.get(path)
    few = _count(client, path)
    activities_to_actions(output, action_plan, opsteller, 27, start=3)
    with django_assert_num_queries(few):
        html = client.get(path).content.decode()
    assert html.count(MARK) == 30


def test_the_analysis_page_runs_as_many_queries_for_3_as_for_30_swot_items_from_a_worksheet(
    client, municipality, opsteller, analysis, django_assert_num_queries
):
    swot = open_worksheet(municipality, opsteller, "swot", title="SWOT-workshop")
    swot_notes_to_items(swot, opsteller, 3)
    client.force_login(opsteller)
    path = reverse("omgevingsanalyse:analysis", args=[municipality.nis_code])
    client.get(path)
    few = _count(client, path)
    swot_notes_to_items(swot, opsteller, 27, start=3)
    with django_assert_num_queries(few):
        html = client.get(path).content.decode()
    assert html.count(MARK) == 30


# --- not in print ---------------------------------------------------------------------------


def _print_html(kind: str, municipality, object_id: int) -> str:
    document = registry.document_for(kind=kind, municipality=municipality, object_id=object_id)
    return render_to_string(document.template_name, document.context)


def test_the_printed_documents_and_word_do_not_show_the_worksheet(
    municipality, opsteller, brainwriting, analysis
):
    import io

    import docx

    (proposal,) = ideas_to_proposals(brainwriting, opsteller, 1)
    output = toc_output(municipality, opsteller)
    action_plan = _plan_with_action_plan(municipality, opsteller)
    activities_to_actions(output, action_plan, opsteller, 1)
    swot = open_worksheet(municipality, opsteller, "swot", title="SWOT-workshop")
    swot_notes_to_items(swot, opsteller, 1)
    printed = {
        "memorandum": (proposal.memorandum.pk, proposal.title),
        "meerjarenplan": (action_plan.plan_id, "Activiteit 0"),
        "omgevingsanalyse": (analysis.pk, "Sterkte 0"),
    }
    for kind, (object_id, item_text) in printed.items():
        html = _print_html(kind, municipality, object_id)
        assert item_text in html, kind  # the item is printed ...
        assert "Uit werkblad" not in html and MARK not in html, kind  # ... not where it came from
        for worksheet in (brainwriting, output.worksheet, swot):
            assert link(worksheet) not in html, kind
    document = registry.document_for(
        kind="memorandum", municipality=municipality, object_id=proposal.memorandum.pk
    )
    word = docx.Document(io.BytesIO(render_docx(document)))
    text = "\n".join(p.text for p in word.paragraphs)
    assert proposal.title in text
    assert "Uit werkblad" not in text
