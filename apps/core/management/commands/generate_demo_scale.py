"""Fill one installation with every Flemish municipality at once, for load benchmarks.

    manage.py generate_demo_scale --municipalities 300

Each municipality gets an opsteller, a schepen and a lezer (password: the demo password), key
figures, a visie & missie and an omgevingsanalyse (the demo loader's, which goes through the
services), a memorandum and a meerjarenplan (written with bulk_create: going through the
services would take minutes), and comment threads on the memorandum. One municipality in ten
is big: its memorandum adopts every library proposal and its plan has 150 actions. Versions
made with bulk_create have no history rows: the history starts at the first edit in the app.

Municipalities already there (by NIS code) are left alone, so running it twice adds nothing
and running it with a larger number adds the missing ones. Never in production.
"""

from __future__ import annotations

import io
import time
from decimal import Decimal
from itertools import cycle

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.core.demo import DEMO_PASSWORD, DEMO_YEAR_FIGURES, refuse_in_production
from apps.core.models import (
    Legislature,
    Membership,
    Municipality,
    Province,
    Role,
    SDGGoal,
    YearFigures,
)
from apps.core.reference import ensure_reference_data
from apps.core.richtext import sanitise

FIRST_NIS = 98001  # the demo's own municipalities are 99001 and 99002
BIG_EVERY = 10  # municipality 0, 10, 20, ... is big
EMAIL_DOMAIN = "schaal.lmbplanner.be"
PROVINCES = list(Province)

STEMS = [
    "Aar", "Beve", "Bor", "Brem", "Dil", "Ede", "Essen", "Geel", "Gist", "Haacht", "Ham",
    "Heist", "Herk", "Hoog", "Kal", "Kessel", "Laak", "Lede", "Lier", "Lo", "Maas", "Meer",
    "Mol", "Nijl", "Oost", "Oud", "Putte", "Ran", "Riem", "Ro", "Schel", "Stee", "Tem", "Tie",
    "Vorst", "Waas", "Wees", "Wer", "Zand", "Zoute",
]  # fmt: skip
ENDINGS = [
    "beke", "berg", "bos", "brugge", "dam", "donk", "dorp", "gem", "hem", "hout", "kapelle",
    "kerke", "lo", "meer", "mortel", "ode", "rode", "sele", "straten", "veld", "vliet",
    "vorde", "waarde", "zele", "zonder",
]  # fmt: skip

MEMORANDUM_INTRODUCTION = (
    "<p>Met dit ambtelijk memorandum legt de administratie van {name} het nieuwe bestuur haar "
    "voorstellen voor lokaal mondiaal beleid voor de legislatuur voor. Ze bouwen voort op de "
    "omgevingsanalyse en zijn geordend volgens de drie actieterreinen.</p>"
)
PLAN_INTRODUCTION = (
    "<p>Dit is het deel lokaal mondiaal beleid van het meerjarenplan van {name}. Het werkt de "
    "voorstellen uit het memorandum uit in beleidsdoelstellingen, actieplannen en acties.</p>"
)
SERVICES = ["Financiën en aankoop", "Cultuur en vrije tijd", "Lokaal mondiaal beleid", "Welzijn"]
REMARKS = [
    "Kunnen we hier een concreet bedrag per jaar bij zetten?",
    "Stem dit nog af met de dienst Welzijn.",
    "Past dit in de timing van het college?",
    "Graag een bron voor dit cijfer.",
]
REPLY = "Goed idee: ik neem het over in de tekst."


def _name(index: int) -> str:
    stem = STEMS[index % len(STEMS)]
    ending = ENDINGS[(index // len(STEMS) + index) % len(ENDINGS)]
    return f"{stem}{ending}"


class Command(BaseCommand):
    help = (
        "Vult één installatie met veel gemeenten en realistische documenten, voor "
        "belastingsmetingen (nooit in productie)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=300, help="aantal gemeenten")

    def handle(self, *args, municipalities: int, **options):
        if not 1 <= municipalities <= 999:
            raise CommandError("--municipalities ligt tussen 1 en 999.")
        try:
            refuse_in_production()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        started = time.monotonic()
        ensure_reference_data()
        legislature = Legislature.objects.current()
        if legislature is None:
            raise CommandError("Er is geen legislatuur: voer eerst 'manage.py migrate' uit.")
        self._library()
        wanted = {f"{FIRST_NIS + i:05d}": i for i in range(municipalities)}
        existing = set(
            Municipality.objects.filter(nis_code__in=wanted).values_list("nis_code", flat=True)
        )
        todo = {code: i for code, i in wanted.items() if code not in existing}
        if not todo:
            self.stdout.write(
                f"Alle {municipalities} schaalgemeenten bestaan al: er is niets toegevoegd."
            )
            return
        counts = Generator(legislature, todo, self.stdout).run()
        seconds = time.monotonic() - started
        made = ", ".join(f"{n} {label}" for label, n in counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Schaaldata klaar in {seconds:.1f} s: {made} "
                f"({len(existing)} gemeenten bestonden al; wachtwoord {DEMO_PASSWORD})."
            )
        )

    def _library(self) -> None:
        from apps.library.models import LibraryProposal

        if not LibraryProposal.objects.active().exists():
            call_command("load_library", "fixtures/library.yaml", stdout=io.StringIO())
            count = LibraryProposal.objects.active().count()
            self.stdout.write(f"Bibliotheek geladen: {count} voorstellen.")


class Generator:
    """Writes the rows for the municipalities in ``todo`` (NIS code -> index)."""

    def __init__(self, legislature, todo: dict[str, int], stdout):
        self.legislature = legislature
        self.todo = todo
        self.stdout = stdout
        self.counts: dict[str, int] = {}

    def count(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n

    def run(self) -> dict[str, int]:
        with transaction.atomic():
            towns = self._municipalities()
            opstellers, schepenen = self._accounts(towns)
            memoranda = self._memoranda(towns, opstellers)
            self._plans(towns, opstellers, memoranda)
            self._threads(towns, opstellers, schepenen, memoranda)
        # One transaction per municipality: the analysis loader goes through the services.
        self._analyses(towns, opstellers)
        return self.counts

    def is_big(self, town) -> bool:
        return self.todo[town.nis_code] % BIG_EVERY == 0

    def _municipalities(self) -> list:
        towns = Municipality.objects.bulk_create(
            Municipality(
                nis_code=code,
                name=_name(i),
                province=PROVINCES[i % len(PROVINCES)],
                inhabitants=5000 + (i * 7919) % 90000,
            )
            for code, i in self.todo.items()
        )
        YearFigures.objects.bulk_create(
            YearFigures(
                municipality=town,
                year=year,
                total_budget=Decimal(total) * town.inhabitants // 32500,
                lmb_budget=Decimal(lmb) * town.inhabitants // 32500 if lmb else None,
                inhabitants=town.inhabitants,
            )
            for town in towns
            for year, total, lmb, _inhabitants in DEMO_YEAR_FIGURES
        )
        self.count("gemeenten", len(towns))
        return towns

    def _accounts(self, towns) -> tuple[dict, dict]:
        user_model = get_user_model()
        password = make_password(DEMO_PASSWORD)  # hashed once: PBKDF2 per user takes minutes
        roles = [
            (Role.OPSTELLER, "opsteller", "Olivia"),
            (Role.SCHEPEN, "schepen", "Sam"),
            (Role.LEZER, "lezer", "Lena"),
        ]
        users = user_model.objects.bulk_create(
            user_model(
                email=f"{prefix}@{town.nis_code}.{EMAIL_DOMAIN}",
                first_name=first,
                last_name=town.name,
                password=password,
            )
            for town in towns
            for _role, prefix, first in roles
        )
        Membership.objects.bulk_create(
            Membership(user=user, municipality=towns[n // len(roles)], role=roles[n % 3][0])
            for n, user in enumerate(users)
        )
        self.count("accounts", len(users))
        by_role = {role: {} for role, _p, _f in roles}
        for n, user in enumerate(users):
            by_role[roles[n % 3][0]][towns[n // len(roles)].pk] = user
        return by_role[Role.OPSTELLER], by_role[Role.SCHEPEN]

    def _documents(self, model, introduction: str, towns, opstellers) -> list:
        """One document of ``model`` per municipality for the legislature."""
        return model.objects.bulk_create(
            model(
                municipality=town,
                legislature=self.legislature,
                introduction=introduction.format(name=town.name),
                updated_by=opstellers[town.pk],
            )
            for town in towns
        )

    def _memoranda(self, towns, opstellers) -> dict:
        """A memorandum per municipality: a big one adopts every library proposal, the others
        eight; the copy is what ``proposal_adopt`` makes, in a few queries for all."""
        from apps.beleidsvoorstellen.models import (
            Memorandum,
            MemorandumProposal,
            MemorandumSubOption,
        )
        from apps.library.models import LibraryProposal

        library = list(
            LibraryProposal.objects.active()
            .order_by("action_area__order", "order", "key")
            .prefetch_related("sdg_goals", "sdg_targets", "sub_options")
        )
        memoranda = self._documents(Memorandum, MEMORANDUM_INTRODUCTION, towns, opstellers)
        clean = {source.pk: sanitise(source.text) for source in library}
        proposals = []
        for town, memorandum in zip(towns, memoranda, strict=True):
            start = self.todo[town.nis_code] % len(library)
            chosen = library if self.is_big(town) else (library * 2)[start : start + 8]
            for order, source in enumerate(chosen):
                proposals.append(
                    MemorandumProposal(
                        memorandum=memorandum,
                        source=source,
                        source_version=source.version,
                        source_title=source.title,
                        source_text=source.text,
                        action_area_id=source.action_area_id,
                        level_id=source.level_id,
                        title=source.title,
                        text=clean[source.pk],
                        justification=clean[source.pk] if order % 4 == 0 else "",
                        order=order,
                        updated_by=opstellers[town.pk],
                    )
                )
        proposals = MemorandumProposal.objects.bulk_create(proposals, batch_size=2000)
        goals_through = MemorandumProposal.sdg_goals.through
        targets_through = MemorandumProposal.sdg_targets.through
        goals_through.objects.bulk_create(
            (
                goals_through(memorandumproposal=p, sdggoal=goal)
                for p in proposals
                for goal in p.source.sdg_goals.all()
            ),
            batch_size=5000,
        )
        targets_through.objects.bulk_create(
            (
                targets_through(memorandumproposal=p, sdgtarget=target)
                for p in proposals
                for target in p.source.sdg_targets.all()
            ),
            batch_size=5000,
        )
        sub_options = MemorandumSubOption.objects.bulk_create(
            (
                MemorandumSubOption(
                    proposal=p, text=o.text, order=o.order, source=o, ticked=o.order % 2 == 0
                )
                for p in proposals
                for o in p.source.sub_options.all()
            ),
            batch_size=5000,
        )
        self.count("memoranda", len(memoranda))
        self.count("beleidsvoorstellen", len(proposals))
        self.count("subopties", len(sub_options))
        by_memorandum: dict[int, list] = {}
        for proposal in proposals:
            by_memorandum.setdefault(proposal.memorandum_id, []).append(proposal)
        return {m.municipality_id: (m, by_memorandum.get(m.pk, [])) for m in memoranda}

    def _plans(self, towns, opstellers, memoranda) -> None:
        """A meerjarenplan per municipality: 5 goals x 5 action plans x 6 actions (150) for a
        big one, 3 x 2 x 3 (18) for the others; every action has an amount each year."""
        from apps.meerjarenplan.models import (
            Action,
            ActionPlan,
            BudgetLine,
            Direction,
            Goal,
            GrowthTarget,
            Kind,
            Milestone,
            Plan,
        )

        years = self.legislature.years
        sdgs = list(SDGGoal.objects.order_by("number"))
        plans = self._documents(Plan, PLAN_INTRODUCTION, towns, opstellers)
        shape = {town.pk: (5, 5, 6) if self.is_big(town) else (3, 2, 3) for town in towns}
        goals = Goal.objects.bulk_create(
            Goal(
                plan=plan,
                order=g,
                title=f"Beleidsdoelstelling {g + 1}: {town.name} werkt aan de SDG's",
                responsible_service=SERVICES[g % len(SERVICES)],
                updated_by=opstellers[town.pk],
            )
            for town, plan in zip(towns, plans, strict=True)
            for g in range(shape[town.pk][0])
        )
        town_of_plan = {plan.pk: town for town, plan in zip(towns, plans, strict=True)}
        action_plans = ActionPlan.objects.bulk_create(
            (
                ActionPlan(
                    plan_id=goal.plan_id,
                    goal=goal,
                    order=p,
                    title=f"Actieplan {goal.order + 1}.{p + 1}",
                    responsible_service=goal.responsible_service,
                    priority=p == 0,
                    updated_by=goal.updated_by,
                )
                for goal in goals
                for p in range(shape[town_of_plan[goal.plan_id].pk][1])
            ),
            batch_size=5000,
        )
        goal_order = {goal.pk: goal.order for goal in goals}
        actions = Action.objects.bulk_create(
            (
                Action(
                    plan_id=ap.plan_id,
                    action_plan=ap,
                    order=a,
                    title=f"Actie {goal_order[ap.goal_id] + 1}.{ap.order + 1}.{a + 1}",
                    description="<p>Wat de gemeente doet, met wie en tegen wanneer.</p>",
                    responsible_service=ap.responsible_service,
                    priority=a == 0 and ap.order == 0,
                    updated_by=ap.updated_by,
                )
                for ap in action_plans
                for a in range(shape[town_of_plan[ap.plan_id].pk][2])
            ),
            batch_size=5000,
        )
        BudgetLine.objects.bulk_create(
            (
                BudgetLine(
                    action=action,
                    year=year,
                    kind=Kind.EXPLOITATIE,
                    direction=Direction.UITGAVEN,
                    amount=Decimal(500 + 100 * ((action.pk + i) % 40)),
                )
                for action in actions
                for i, year in enumerate(years)
            ),
            batch_size=5000,
        )
        Milestone.objects.bulk_create(
            Milestone(goal=goal, name="Aandeel duurzame aankopen (%)", target_value=50, year=year)
            for goal in goals
            for year in years[2::3]
        )
        GrowthTarget.objects.bulk_create(
            GrowthTarget(plan=plan, year=year, share=Decimal("0.10") + Decimal("0.02") * i)
            for plan in plans
            for i, year in enumerate(years)
        )
        goal_sdgs = Goal.sdg_goals.through
        goal_sdgs.objects.bulk_create(
            goal_sdgs(goal=goal, sdggoal=sdgs[(goal.pk + k) % len(sdgs)])
            for goal in goals
            for k in (0, 5)
        )
        # The first actions carry the memorandum's proposals they come from.
        links = Action.proposals.through
        first_actions: dict[int, list] = {}
        for action in actions:
            first_actions.setdefault(action.plan_id, []).append(action)
        links.objects.bulk_create(
            (
                links(action=action, memorandumproposal=proposal)
                for plan in plans
                for action, proposal in zip(
                    first_actions[plan.pk][::3],
                    memoranda[plan.municipality_id][1],
                    strict=False,
                )
            ),
            batch_size=5000,
        )
        self.count("meerjarenplannen", len(plans))
        self.count("acties", len(actions))
        self.count("ramingen", len(actions) * len(years))

    def _threads(self, towns, opstellers, schepenen, memoranda) -> None:
        """The schepen's remarks on the memorandum: on proposals and on the whole document,
        each with the opsteller's answer; every other thread is resolved."""
        from django.utils import timezone

        from apps.review.models import Comment, Thread

        remarks = cycle(REMARKS)
        threads = []
        for town in towns:
            memorandum, proposals = memoranda[town.pk]
            parts = [
                (f"proposal-{p.pk}", p.title) for p in proposals[:: 3 if self.is_big(town) else 4]
            ]
            for n, (key, label) in enumerate([("", ""), *parts]):
                threads.append(
                    Thread(
                        municipality=town,
                        kind="memorandum",
                        object_id=memorandum.pk,
                        part_key=key,
                        part_label=label,
                        created_by=schepenen[town.pk],
                        resolved_at=timezone.now() if n % 2 else None,
                        resolved_by=opstellers[town.pk] if n % 2 else None,
                    )
                )
        threads = Thread.objects.bulk_create(threads, batch_size=5000)
        comments = Comment.objects.bulk_create(
            (
                comment
                for thread in threads
                for comment in (
                    Comment(thread=thread, author_id=thread.created_by_id, text=next(remarks)),
                    Comment(
                        thread=thread,
                        author=opstellers[thread.municipality_id],
                        text=REPLY,
                    ),
                )
            ),
            batch_size=5000,
        )
        self.count("opmerkingen", len(threads))
        self.count("reacties", len(comments))

    def _analyses(self, towns, opstellers) -> None:
        """The demo's visie & missie and omgevingsanalyse, through the services (they build
        the analysis from its structure); a progress line every 50 municipalities."""
        from apps.omgevingsanalyse.demo import load_demo_documents

        for n, town in enumerate(towns, start=1):
            with transaction.atomic():
                load_demo_documents(town, opstellers[town.pk])
            if n % 50 == 0:
                self.stdout.write(f"  omgevingsanalyses: {n}/{len(towns)}")
        self.count("omgevingsanalyses", len(towns))
