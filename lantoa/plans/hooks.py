"""Extension points the plans app offers to the apps above it (it imports none of them).

The indicators app registers its catalogue here, so the plan import can map each target of
the plan to an indicator without the plans app importing the indicators app.
"""

from __future__ import annotations

from collections.abc import Callable

_choices: list[Callable[[], list[tuple[str, str]]]] = []
_suggesters: list[Callable[[str], str | None]] = []


def register_indicator_catalogue(choices: Callable[[], list[tuple[str, str]]], suggest: Callable[[str], str | None]):
    _choices.append(choices)
    _suggesters.append(suggest)


def indicator_choices() -> list[tuple[str, str]]:
    return [choice for provider in _choices for choice in provider()]


def suggest_indicator(text: str) -> str:
    for suggest in _suggesters:
        if code := suggest(text):
            return code
    return ""


# Panels on the leadership page contributed by apps above (e.g. the state of each semi-annual report).
# Each provider: (commune, user) -> {"title": str, "items": [{"text": str, "url": str | None}]} or None.
_overview_panels: list[Callable] = []


def register_overview_panel(provider: Callable) -> None:
    _overview_panels.append(provider)


def overview_panels(commune, user) -> list[dict]:
    panels = [provider(commune, user) for provider in _overview_panels]
    return [p for p in panels if p]
