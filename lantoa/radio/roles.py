"""What each role may do on the commune radio (granted by tenancy.services.onboard_commune / sync_roles).

* Editor (Trung tâm dịch vụ tổng hợp runs the column and the radio): writes bulletins, makes their
  audio, submits them, publishes approved ones, runs clusters, zones, slots, controllers and the
  schedule, confirms broadcasts. Bulletins are kept: nobody deletes them.
* Leadership: approves or rejects bulletins, publishes, sets quiet hours; sees everything.
* PVHCC focal point: sets up the radio (clusters, zones, slots, quiet hours, controllers), schedules
  and confirms; sees bulletins.
* Unit (e.g. Phòng Văn hoá - Xã hội) and the Fatherland Front: read; the digital team reads what plays
  in its hamlets.
"""

VIEW = [
    f"radio.view_{m}"
    for m in (
        "bulletin",
        "bulletinitem",
        "audiojob",
        "airing",
        "airingtarget",
        "loudspeakercluster",
        "zone",
        "slot",
        "quietperiod",
        "radiosettings",
        "abbreviation",
        "device",
    )
]
SETUP = [
    f"radio.{a}_{m}"
    for a in ("add", "change", "delete")
    for m in ("loudspeakercluster", "zone", "slot", "quietperiod", "device", "abbreviation")
]
RUN = ["radio.schedule_broadcast", "radio.confirm_broadcast", "radio.change_radiosettings"]

ROLE_PERMISSIONS = {
    "editor": VIEW
    + SETUP
    + RUN
    + [
        "radio.add_bulletin",
        "radio.change_bulletin",
        "radio.submit_bulletin",
        "radio.publish_bulletin",
    ],
    "leadership": VIEW
    + [
        "radio.approve_bulletin",
        "radio.publish_bulletin",
        "radio.add_quietperiod",
        "radio.change_quietperiod",
        "radio.delete_quietperiod",
        "radio.change_radiosettings",
        "radio.confirm_broadcast",
    ],
    "pvhcc": VIEW + SETUP + RUN,
    "unit": ["radio.view_bulletin", "radio.view_airing", "radio.view_loudspeakercluster", "radio.view_slot"],
    "digital_team": ["radio.view_airing", "radio.view_loudspeakercluster", "radio.view_slot"],
    "oversight": VIEW,
    "province": ["radio.view_bulletin", "radio.view_airing", "radio.view_loudspeakercluster"],
}
