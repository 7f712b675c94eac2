"""The roles of Lan Tỏa and what each may do.

A role is granted per commune (or per province for the provincial role) through a Django
group named "<commune> · <role>", created when the commune is onboarded. The group carries
the role's model permissions and, through Wagtail, its page and collection permissions on
the commune's own page tree and collection, so Wagtail's own screens are scoped too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.utils.translation import gettext_lazy as _

LEADERSHIP = "leadership"
PVHCC = "pvhcc"
EDITOR = "editor"
UNIT = "unit"
DIGITAL_TEAM = "digital_team"
OVERSIGHT = "oversight"
PROVINCE = "province"

VIEW_ALL = [
    "view_unit",
    "view_staff",
    "view_hamlet",
    "view_household",
    "view_householdchange",
    "view_commune",
    "view_province",
]


@dataclass(frozen=True)
class Role:
    code: str
    label: object
    description: object
    # Django model permissions, as "app_label.codename" or bare codenames of tenancy.
    permissions: list[str] = field(default_factory=list)
    # Wagtail page permissions on the commune's root page.
    page_permissions: list[str] = field(default_factory=list)
    # Wagtail collection permissions on the commune's collection.
    collection_permissions: list[str] = field(default_factory=list)


ROLES: dict[str, Role] = {
    r.code: r
    for r in [
        Role(
            LEADERSHIP,
            _("Leadership"),
            _("Approves content and reports; sees every task and every target of the commune."),
            VIEW_ALL
            + ["view_personal_data", "view_personaldataaccess", "change_unit", "change_staff"]
            + ["view_periodlock", "reopen_period"],
            ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
            ["add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"],
        ),
        Role(
            PVHCC,
            _("PVHCC focal point"),
            _("Imports the plan, monitors every unit and compiles the reports."),
            VIEW_ALL
            + ["view_personal_data", "view_personaldataaccess", "view_periodlock"]
            + [f"{a}_{m}" for a in ("add", "change", "delete") for m in ("unit", "staff", "hamlet", "household")]
            + ["add_householdchange", "manage_logins"],
            ["add_page", "change_page"],
            ["add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"],
        ),
        Role(
            EDITOR,
            _("Editor"),
            _("Writes and edits the column's content and the radio bulletins."),
            ["view_unit", "view_hamlet", "view_commune"],
            ["add_page", "change_page"],
            ["add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"],
        ),
        Role(
            UNIT,
            _("Unit"),
            _("Records its own tasks' activities and raises obstacles."),
            ["view_unit", "view_hamlet", "view_commune"],
            [],
            ["add_image", "choose_image", "add_document", "choose_document"],
        ),
        Role(
            DIGITAL_TEAM,
            _("Community digital team"),
            _("Records the households reached in its hamlets."),
            [
                "view_hamlet",
                "view_household",
                "add_household",
                "change_household",
                "view_householdchange",
                "add_householdchange",
                "view_commune",
            ],
            [],
            ["add_image", "choose_image"],
        ),
        Role(
            OVERSIGHT,
            _("Fatherland Front oversight"),
            _("Reads everything of the commune and comments; changes nothing."),
            ["view_unit", "view_staff", "view_hamlet", "view_commune"],
            [],
            ["choose_image", "choose_document"],
        ),
        Role(
            PROVINCE,
            _("Province"),
            _("Reads every commune of the province and compares them."),
            ["view_unit", "view_staff", "view_hamlet", "view_commune", "view_province"],
            [],
            [],
        ),
    ]
}

COMMUNE_ROLES = [code for code in ROLES if code != PROVINCE]


def permissions_for(role_code: str) -> list[str]:
    """The role's permissions: tenancy's own plus those each app declares.

    An app grants permissions to roles by defining ``ROLE_PERMISSIONS = {role_code: ["app_label.codename", …]}``
    in its own ``roles.py``; tenancy discovers them without importing any app by name.
    """
    perms = list(ROLES[role_code].permissions)
    for config in apps.get_app_configs():
        if config.name == __package__ or not config.name.startswith("lantoa."):
            continue
        if find_spec(f"{config.name}.roles") is None:
            continue
        perms += getattr(import_module(f"{config.name}.roles"), "ROLE_PERMISSIONS", {}).get(role_code, [])
    return perms
