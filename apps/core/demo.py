"""The demo municipalities and one account per role, for `make run` and the browser tests."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from .models import Membership, Municipality, Province, Role
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


def refuse_in_production() -> None:
    if getattr(settings, "LMB_ENVIRONMENT", "development") == "production":
        raise ImproperlyConfigured(
            "Demogegevens worden nooit in productie geladen / demo data is refused in production."
        )


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Create or refresh the demo data; running it again changes nothing but the passwords."""
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
    return {"municipalities": len(municipalities), "accounts": len(DEMO_ACCOUNTS)}
