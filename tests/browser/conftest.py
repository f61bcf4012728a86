"""The browser harness: Playwright driving Debian's Chromium against Django's live server.

Every browser test gets ``page`` (a fresh context, Dutch locale, base URL of the live server,
demo data loaded) and fails when the page logs a console error, such as a CSP violation.
Helpers: ``login(page, email)`` and ``assert_accessible(page)`` (axe-core, no serious or
critical violations).
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from apps.core.demo import DEMO_PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}. The browser tests drive Debian's "
            "Chromium: install it with `sudo apt-get install chromium chromium-driver` "
            "(or set CHROMIUM_PATH).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    """The demo accounts and municipalities; each walk builds its own documents."""
    call_command("load_demo", "--zonder-documenten", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def page(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    # A test that provokes an error on purpose (a 404) empties this list after checking it.
    page.console_errors = problems
    yield page
    context.close()
    assert problems == [], f"the page logged errors: {problems}"


def demo_adopt(*library_proposals):
    """The demo opsteller's memorandum in Demodorp with these library proposals adopted
    (through the services, as the app does); returns the adopted proposals."""
    from apps.accounts.models import User
    from apps.beleidsvoorstellen.services import memorandum_get_or_create, proposal_adopt
    from apps.core.models import Legislature, Municipality

    opsteller = User.objects.get(email="opsteller@demo.lmbplanner.be")
    memorandum = memorandum_get_or_create(
        municipality=Municipality.objects.get(nis_code="99001"),
        legislature=Legislature.objects.current(),
        by=opsteller,
    )
    return [
        proposal_adopt(memorandum=memorandum, library_proposal=item, by=opsteller)
        for item in library_proposals
    ]


def dashboard_card(page, title: str):
    """The card of one document on the municipality dashboard."""
    return page.locator("section.doc-card").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/account/aanmelden/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()


_axe = Axe()


def assert_accessible(page) -> None:
    """axe-core over the whole page: no serious or critical violation."""
    results = _axe.run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert bad == [], "\n".join(bad)
