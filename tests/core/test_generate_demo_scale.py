"""``manage.py generate_demo_scale``: what it makes for three municipalities, that a second run
adds nothing, that production refuses it, and that the pages of what it made answer."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from apps.accounts.models import User
from apps.beleidsvoorstellen.models import Memorandum, MemorandumProposal
from apps.core.demo import DEMO_PASSWORD
from apps.core.models import Legislature, Membership, Municipality, Role
from apps.library.models import LibraryProposal
from apps.meerjarenplan.models import Action, BudgetLine, Plan
from apps.omgevingsanalyse.models import Analysis
from apps.review.models import Comment, Thread

pytestmark = pytest.mark.django_db

CODES = ["98001", "98002", "98003"]


def generate(count: int = 3) -> str:
    out = StringIO()
    call_command("generate_demo_scale", municipalities=count, stdout=out)
    return out.getvalue()


def test_three_municipalities_with_accounts_and_documents():
    output = generate()

    assert "3 gemeenten" in output
    towns = {m.nis_code: m for m in Municipality.objects.filter(nis_code__in=CODES)}
    assert sorted(towns) == CODES
    for town in towns.values():
        roles = sorted(Membership.objects.filter(municipality=town).values_list("role", flat=True))
        assert roles == sorted([Role.OPSTELLER, Role.SCHEPEN, Role.LEZER])
    opsteller = User.objects.get(email="opsteller@98001.schaal.lmbplanner.be")
    assert opsteller.check_password(DEMO_PASSWORD)

    legislature = Legislature.objects.current()
    library = LibraryProposal.objects.active().count()
    assert library >= 32
    sizes = {
        code: MemorandumProposal.objects.filter(memorandum__municipality=towns[code]).count()
        for code in CODES
    }
    # The first municipality is big: every library proposal adopted, once each.
    assert sizes == {"98001": library, "98002": 8, "98003": 8}
    big = Memorandum.objects.get(municipality=towns["98001"], legislature=legislature)
    adopted = big.proposals.select_related("source").prefetch_related("sdg_goals")
    assert len({p.source_id for p in adopted}) == library
    assert all(
        {g.pk for g in p.sdg_goals.all()} == {g.pk for g in p.source.sdg_goals.all()}
        for p in adopted
    )
    assert sorted(p.order for p in adopted) == list(range(library))

    actions = {c: Action.objects.filter(plan__municipality=towns[c]).count() for c in CODES}
    assert actions == {"98001": 150, "98002": 18, "98003": 18}
    plan = Plan.objects.get(municipality=towns["98001"], legislature=legislature)
    lines = BudgetLine.objects.filter(action__plan=plan).count()
    assert lines == 150 * len(legislature.years)

    assert Analysis.objects.filter(municipality__in=towns.values()).count() == 3
    threads = Thread.objects.filter(municipality__in=towns.values(), object_id__in=[big.pk])
    assert threads.filter(part_key="").count() == 1
    assert threads.exclude(part_key="").count() >= 10
    assert all(Comment.objects.filter(thread=t).count() == 2 for t in threads)


def test_a_second_run_adds_nothing_and_a_larger_one_adds_the_rest():
    generate(2)
    counts = (Municipality.objects.count(), User.objects.count(), Action.objects.count())

    assert "bestaan al" in generate(2)
    assert (Municipality.objects.count(), User.objects.count(), Action.objects.count()) == counts

    generate(3)
    assert Municipality.objects.filter(nis_code__in=CODES).count() == 3
    assert User.objects.count() == counts[1] + 3


def test_refused_in_production(settings):
    settings.LMB_ENVIRONMENT = "production"

    with pytest.raises(CommandError, match="productie"):
        generate()
    assert not Municipality.objects.filter(nis_code__in=CODES).exists()


def test_the_pages_of_a_big_municipality_answer(client):
    generate(1)
    names = [
        "core:dashboard",
        "beleidsvoorstellen:memorandum",
        "beleidsvoorstellen:library",
        "meerjarenplan:plan",
        "omgevingsanalyse:analysis",
    ]
    for role in ("opsteller", "schepen", "lezer"):
        client.force_login(User.objects.get(email=f"{role}@98001.schaal.lmbplanner.be"))
        for name in names:
            response = client.get(reverse(name, args=["98001"]))
            assert response.status_code == 200, (role, name)


def test_the_bare_health_page_answers_without_the_database(client, django_assert_num_queries):
    """bench/load.py's yardstick: no query, no session, no login."""
    with django_assert_num_queries(0):
        response = client.get("/gezond/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "Set-Cookie" not in response.headers
