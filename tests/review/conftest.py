from tests.beleidsvoorstellen.conftest import adopted, library_proposal, memorandum  # noqa: F401
