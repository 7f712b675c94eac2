"""What each role may do with reach records and indicators (granted to the commune's role groups at onboarding).

The aggregates maintained by the engine (populations, households and hamlets reached per period) are
written by the engine only: no role has a permission on them.
"""

_RECORDS = [
    "contact",
    "contactbatch",
    "briefing",
    "trainingcourse",
    "trainingcompletion",
    "award",
    "survey",
    "surveystratum",
    "sciencetask",
    "publication",
    "broadcast",
    "indicatortarget",
    "reachsettings",
    "rosterimport",
]
_VIEW = ["reach.view_dashboard"] + [f"reach.view_{m}" for m in _RECORDS]


def _all(*models: str) -> list[str]:
    return [f"reach.{action}_{m}" for m in models for action in ("add", "change", "delete")]


ROLE_PERMISSIONS = {
    "leadership": _VIEW + _all("award", "indicatortarget") + ["reach.change_reachsettings", "reach.add_reachsettings"],
    "pvhcc": _VIEW
    + _all(
        "contact",
        "contactbatch",
        "briefing",
        "trainingcourse",
        "trainingcompletion",
        "award",
        "survey",
        "surveystratum",
        "sciencetask",
        "indicatortarget",
        "reachsettings",
    )
    + ["reach.add_rosterimport"],
    "editor": _VIEW + _all("sciencetask"),
    "unit": _VIEW + _all("contact", "briefing", "trainingcourse", "trainingcompletion") + ["reach.add_contactbatch"],
    "digital_team": _VIEW
    + ["reach.add_contact", "reach.change_contact", "reach.add_contactbatch"]
    + _all("survey", "surveystratum")
    + ["reach.add_rosterimport"],
    "oversight": _VIEW,
    "province": _VIEW,
}
