import pytest

from .processes import Cluster


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/multiprocess/" in str(item.fspath):
            item.add_marker(pytest.mark.multiprocess)


@pytest.fixture
def cluster(transactional_db, tmp_path):
    """Start processes with ``cluster.start_web`` / ``start_worker``; all are stopped before
    the database is emptied. The time limit is short, so a lost job comes back soon."""
    with Cluster(tmp_path, RENDER_TIME_LIMIT="20", RENDER_LOST_AFTER="1") as cluster:
        yield cluster
