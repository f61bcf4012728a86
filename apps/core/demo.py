"""The demo municipalities and one account per role, for `make run` and the browser tests."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from .models import Membership, Municipality, Province, Role, YearFigures
from .reference import ensure_reference_data

DEMO_PASSWORD = "lmb-demo-2026"  # noqa: S105 - published demo password, refused in production

DEMO_MUNICIPALITY = {
    "nis_code": "99001",
    "name": "Demodorp",
    "province": Province.VLAAMS_BRABANT,
    "inhabitants": 32500,
}
OTHER_MUNICIPALITY = {
    "nis_code": "99002",
    "name": "Anderegem",
    "province": Province.OOST_VLAANDEREN,
    "inhabitants": 18200,
}

# (email, first name, last name, municipality, role, staff)
DEMO_ACCOUNTS = [
    ("opsteller@demo.lmbplanner.be", "Olivia", "Opsteller", "99001", Role.OPSTELLER, False),
    ("schepen@demo.lmbplanner.be", "Sam", "Schepen", "99001", Role.SCHEPEN, False),
    ("lezer@demo.lmbplanner.be", "Lena", "Lezer", "99001", Role.LEZER, False),
    ("beheerder@demo.lmbplanner.be", "Bart", "Beheerder", "99001", Role.LEZER, True),
    ("andere@demo.lmbplanner.be", "Anouk", "Andere", "99002", Role.OPSTELLER, False),
]


# Demodorp's key figures: (year, total expenses, budget for local global policy, inhabitants).
# A municipality with a modest but growing LMB budget, about the median the guide cites.
DEMO_YEAR_FIGURES = [
    (2019, "44150000", "28500", 31650),
    (2020, "45870000", "27900", 31800),
    (2021, "46320000", "31200", 31940),
    (2022, "47900000", "34000", 32080),
    (2023, "49600000", "38500", 32210),
    (2024, "50850000", "41000", 32380),
    (2025, "52100000", "46000", 32500),
    (2026, "53400000", None, 32620),
    (2027, "54500000", None, 32740),
    (2028, "55600000", None, 32850),
    (2029, "56700000", None, 32960),
    (2030, "57800000", None, 33070),
    (2031, "58900000", None, 33180),
]


# Document apps add their demo documents from their AppConfig.ready(); each loader takes the
# demo municipality and its opsteller and leaves existing documents as they are.
_document_loaders: list = []


def register_demo(loader) -> None:
    if loader not in _document_loaders:
        _document_loaders.append(loader)


def refuse_in_production() -> None:
    if getattr(settings, "LMB_ENVIRONMENT", "development") == "production":
        raise ImproperlyConfigured(
            "Demogegevens worden nooit in productie geladen / demo data is refused in production."
        )


@transaction.atomic
def load_demo(*, documents: bool = True) -> dict[str, int]:
    """Create or refresh the demo data; running it again changes nothing but the passwords.
    Without ``documents`` only the municipalities, accounts and key figures are loaded (the
    browser tests start Demodorp's documents themselves)."""
    refuse_in_production()
    ensure_reference_data()
    municipalities = {}
    for spec in (DEMO_MUNICIPALITY, OTHER_MUNICIPALITY):
        municipality, _ = Municipality.objects.update_or_create(
            nis_code=spec["nis_code"], defaults={k: v for k, v in spec.items() if k != "nis_code"}
        )
        municipalities[municipality.nis_code] = municipality
    user_model = get_user_model()
    for email, first, last, nis_code, role, staff in DEMO_ACCOUNTS:
        user, _ = user_model.objects.update_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": staff,
                "is_superuser": staff,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        Membership.objects.update_or_create(
            user=user, municipality=municipalities[nis_code], defaults={"role": role}
        )
    demodorp = municipalities[DEMO_MUNICIPALITY["nis_code"]]
    for year, total, lmb, inhabitants in DEMO_YEAR_FIGURES:
        # get_or_create: figures changed in the app stay as they were on a second run.
        YearFigures.objects.get_or_create(
            municipality=demodorp,
            year=year,
            defaults={
                "total_budget": Decimal(total),
                "lmb_budget": Decimal(lmb) if lmb else None,
                "inhabitants": inhabitants,
            },
        )
    opsteller = user_model.objects.get(email=DEMO_ACCOUNTS[0][0])
    for loader in _document_loaders if documents else ():
        loader(demodorp, opsteller)
    return {"municipalities": len(municipalities), "accounts": len(DEMO_ACCOUNTS)}
