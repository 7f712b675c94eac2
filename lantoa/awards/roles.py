"""What each role may do with the yearly awards (granted by tenancy.services.onboard_commune / sync_roles).

* Leadership and the PVHCC focal point set up and run a round (criteria, weights, council, the steps).
* Units, the PVHCC focal point and the Fatherland Front (oversight) nominate.
* Council members are users of the commune chosen for the round; they score as members, not by role. The chair
  closes scoring and issues the decision.
* Everyone of the commune but the community digital team reads the rounds, as does the province.
"""

VIEW = ["awards.view_awardround", "awards.view_nomination", "awards.view_decision"]

ROLE_PERMISSIONS = {
    "leadership": VIEW + ["awards.manage_round"],
    "pvhcc": VIEW + ["awards.manage_round", "awards.nominate"],
    "editor": VIEW,
    "unit": VIEW + ["awards.nominate"],
    "oversight": VIEW + ["awards.nominate"],
    "province": VIEW,
}
