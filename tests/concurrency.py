"""Running work in several threads at once, each with its own database connection, for the
tests of simultaneous saves (transactional tests on PostgreSQL)."""

import threading

from django.db import connection

THREADS = 10


def run_at_once(work, arguments):
    """Run ``work(argument)`` in one thread per argument, released together; returns each
    thread's result or exception, in the order of ``arguments``."""
    barrier = threading.Barrier(len(arguments), timeout=30)
    results = [None] * len(arguments)

    def target(index, argument):
        try:
            barrier.wait()
            results[index] = work(argument)
        except Exception as error:  # the test inspects what each thread got
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=target, args=(index, argument))
        for index, argument in enumerate(arguments)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return results
