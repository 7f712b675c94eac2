"""What each role may do in the column (granted by tenancy's onboarding and `manage.py sync_roles`).

Pages (items) follow Wagtail page permissions on the commune's tree, set by tenancy's roles: editors
and the PVHCC write, the leadership publishes; the workflow (services.ensure_column) puts every item
through the PVHCC focal point's review and the leadership's approval.
"""


def _crud(model: str, *actions: str) -> list[str]:
    return [f"column.{a}_{model}" for a in actions]


_LISTS = _crud("topic", "view", "add", "change") + _crud("audience", "view", "add", "change")
_MEDIA = _crud("mediafile", "view", "add", "change")

ROLE_PERMISSIONS = {
    "leadership": _LISTS
    + _crud("topic", "delete")
    + _crud("audience", "delete")
    + _MEDIA
    + _crud("feedback", "view", "change")
    + _crud("sharepost", "view", "change")
    + _crud("channelaccount", "view", "add", "change", "delete"),
    "pvhcc": _LISTS + _MEDIA + _crud("feedback", "view", "change") + _crud("sharepost", "view", "change"),
    "editor": _LISTS + _MEDIA + _crud("feedback", "view", "change") + _crud("sharepost", "view", "change"),
    # A unit answers the feedback addressed to it.
    "unit": _crud("feedback", "view", "change"),
    # The Fatherland Front oversees: it reads every submission and answer, and changes nothing.
    "oversight": _crud("feedback", "view") + _crud("sharepost", "view"),
}
