"""What a long-running process of Lan Tỏa does once it has loaded: the web workers (lantoa.wsgi) and the task
worker (manage.py worker)."""

import gc


def freeze_long_lived_objects() -> None:
    """Move every object alive now (modules, models, URL patterns, settings: ~400,000 of them) out of the garbage
    collector's reach, as the Python documentation advises for a server that forks its workers (``gc.freeze``).

    Without it, each full collection in a worker walks all of them again: a pause of 0.1–0.3 s on a small server,
    landing on whichever request happened to allocate last. With ``--preload`` the frozen objects are also shared
    by the forked workers instead of copied page by page. Collections still run; they see only what requests make.
    """
    gc.collect()
    gc.freeze()
