"""What each role may do with events (granted by tenancy.services.onboard_commune / sync_roles).

* PVHCC focal point and units organise events: create them, invite, check people in, import sheets.
* Leadership: sees everything, creates events (a make-up session) and checks people in.
* Community digital team: checks people in at the door (talks in hamlets) and sees the events.
* Oversight (Fatherland Front) and the province: read.
"""

VIEW = ["events.view_event", "events.view_invitation", "events.view_attendance"]
ORGANISE = [
    "events.add_event",
    "events.change_event",
    "events.add_invitation",
    "events.change_invitation",
    "events.check_in",
]

ROLE_PERMISSIONS = {
    "pvhcc": VIEW + ORGANISE,
    "unit": VIEW + ORGANISE,
    "leadership": VIEW + ORGANISE,
    "digital_team": VIEW + ["events.check_in"],
    "oversight": VIEW,
    "province": VIEW,
}
