"""Objects of commune B for the isolation test (tests/test_isolation.py).

The isolation test needs at least one record of every commune-scoped model in commune B, so
that every route can be aimed at one. Each app registers a function here that creates its
records in commune B; names must contain SECRET so that a leak shows in a response.

A commune-scoped model with no record in commune B makes the isolation test fail, naming the
model: add a factory for it below.
"""

from __future__ import annotations

from typing import Callable

SECRET = "ZQXSECRETB"

# Each factory: (commune_b, world) -> None. ``world`` is the BWorld of the test: it already holds
# commune B's unit, staff, hamlet, households (world.data), a user of B (world.user), B's root
# page (world.page), a draft child page (world.draft), B's collection, image and document.
FACTORIES: list[Callable] = []


def factory(func: Callable) -> Callable:
    FACTORIES.append(func)
    return func


@factory
def tenancy_records(commune, world) -> None:
    from lantoa.tenancy.models import PersonalDataAccess

    PersonalDataAccess.objects.create(
        commune=commune, user=world.user, household=world.data["households"][0], fields="phone", purpose=SECRET
    )
