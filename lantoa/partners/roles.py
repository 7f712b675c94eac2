"""What each role may do with partners and the external-information log.

The PVHCC focal point and the units (Phòng Kinh tế leads task 3.1) keep the registry, ask for plans and send
reminders; the leadership reads everything and accepts plans; the Front and the province read. Only the
leadership and PVHCC read a partner's contact person (``view_partner_contact``), and every read is logged.
"""

_VIEW = ["partners.view_partner", "partners.view_communicationplan", "partners.view_partneractivity"]
_VIEW += ["partners.view_externalactivity"]
_MANAGE = [
    "partners.add_partner",
    "partners.change_partner",
    "partners.change_communicationplan",
    "partners.add_partnerlink",
    "partners.add_partneractivity",
    "partners.add_externalactivity",
    "partners.change_externalactivity",
]

ROLE_PERMISSIONS = {
    "leadership": _VIEW + ["partners.view_partner_contact", "partners.accept_communicationplan"],
    "pvhcc": _VIEW + _MANAGE + ["partners.view_partner_contact", "partners.accept_communicationplan"],
    "unit": _VIEW + _MANAGE,
    "oversight": _VIEW,
    "province": _VIEW,
}
