"""What each role may do with courses, outside certificates and contests (granted by tenancy.sync_roles).

* Every commune role that is staff takes courses (``view_course``) and records its own outside certificates.
* The PVHCC focal point and the editor build courses, question banks and contests; the focal point approves or
  refuses outside certificates and sets the commune's rule for "trained in depth".
* Paper contest entries are typed in by the editor, the focal point, the units and the digital team.
* Names and contacts of entrants are read (logged) by those who also read personal data.
"""

TAKE = ["learning.view_course", "learning.view_lesson", "learning.add_externalcertificate"]
READ = [
    "learning.view_course",
    "learning.view_lesson",
    "learning.view_question",
    "learning.view_contest",
    "learning.view_externalcertificate",
    "learning.view_learningsettings",
]
BUILD = [f"learning.{a}_{m}" for a in ("add", "change", "delete") for m in ("course", "lesson", "question", "contest")]
ENTRIES = ["learning.view_contest", "learning.add_contestentry"]

ROLE_PERMISSIONS = {
    "pvhcc": READ
    + BUILD
    + TAKE
    + ENTRIES
    + [
        "learning.view_contestentry",
        "learning.approve_externalcertificate",
        "learning.change_learningsettings",
    ],
    "editor": READ + BUILD + TAKE + ENTRIES + ["learning.view_contestentry"],
    "leadership": READ + TAKE + ["learning.view_contestentry"],
    "unit": TAKE + ENTRIES,
    "digital_team": TAKE + ENTRIES,
    "oversight": TAKE + ["learning.view_contest"],
}
