"""Run independent replications serially, on local processes or on a Dask cluster.

Every task carries its own :class:`numpy.random.SeedSequence` (children of one root spawned
with :meth:`~numpy.random.SeedSequence.spawn`), so a task's random numbers do not depend on
where or in which order it runs: the results for a given seed are identical on every backend.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from availcalc._validation import _short

__all__ = ["resolve_jobs", "run_tasks"]


def resolve_jobs(n_jobs: int | None) -> int:
    """Return the number of worker processes for ``n_jobs`` (None or -1: every core)."""
    cpus = os.cpu_count() or 1
    if n_jobs is None or (type(n_jobs) is int and n_jobs == -1):
        return cpus
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs < 1:
        raise ValueError(f"n_jobs must be None, -1 or an integer >= 1; got {_short(n_jobs)}")
    return n_jobs


def run_tasks(
    fn: Callable[[Any], Any], tasks: Sequence[Any], n_jobs: int | None, client: Any = None
) -> list[Any]:
    """Apply the module-level function ``fn`` to every task, keeping the task order.

    Parameters
    ----------
    fn : callable
        A picklable (module-level) function of one argument.
    tasks : sequence
        Picklable task descriptions (each with its own seed).
    n_jobs : int or None
        Local worker processes (None or -1: every core; 1: run in this process). Ignored
        when ``client`` is given.
    client : dask.distributed.Client, optional
        Run the tasks on this Dask cluster instead (``client.map`` then ``client.gather``).
    """
    tasks = list(tasks)
    if client is not None:
        futures = client.map(fn, tasks, pure=False)
        return list(client.gather(futures))
    jobs = min(resolve_jobs(n_jobs), len(tasks))
    if jobs <= 1:
        return [fn(t) for t in tasks]
    chunk = max(1, len(tasks) // (4 * jobs))
    with ProcessPoolExecutor(max_workers=jobs) as ex:
        return list(ex.map(fn, tasks, chunksize=chunk))
