import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from apps.accounts.models import User
from apps.core.demo import DEMO_PASSWORD
from apps.core.models import Membership, Municipality, Role

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lmbplanner.settings.production",
    "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-for-the-check-1234567890",
    "ALLOWED_HOSTS": "lmbplanner.example.be",
    "DATABASE_URL": "postgres://lmb@db.example.be:5432/lmbplanner",
    "EMAIL_HOST": "smtp.example.be",
}


def run_manage(*args, env):
    # The test settings allow async-unsafe ORM calls for Playwright; production must not.
    drop = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_HOST"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.django_db
def test_demo_data_can_be_loaded_twice():
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Municipality.objects.filter(nis_code__in=["99001", "99002"]).count() == 2
    assert User.objects.filter(email__endswith="@demo.lmbplanner.be").count() == 5
    opsteller = User.objects.get(email="opsteller@demo.lmbplanner.be")
    assert opsteller.check_password(DEMO_PASSWORD)
    roles = dict(
        Membership.objects.filter(municipality__nis_code="99001").values_list("user__email", "role")
    )
    assert roles["opsteller@demo.lmbplanner.be"] == Role.OPSTELLER
    assert roles["schepen@demo.lmbplanner.be"] == Role.SCHEPEN
    assert roles["lezer@demo.lmbplanner.be"] == Role.LEZER
    assert User.objects.get(email="beheerder@demo.lmbplanner.be").is_staff
    andere = Membership.objects.get(user__email="andere@demo.lmbplanner.be")
    assert andere.municipality.nis_code == "99002"
    assert Membership.objects.filter(user__email="andere@demo.lmbplanner.be").count() == 1


@pytest.mark.django_db
@override_settings(LMB_ENVIRONMENT="production")
def test_demo_command_refuses_production():
    with pytest.raises(CommandError, match="productie"):
        call_command("load_demo")
    assert not User.objects.filter(email__endswith="@demo.lmbplanner.be").exists()


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=open(os.devnull, "w"))  # noqa: SIM115
    except SystemExit as exc:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"a model change has no migration (makemigrations exited {exc.code})")
