"""The indicators, as data: what each measures and how (numerator, denominator, period, level), as DHIS2
defines an indicator, with the explanation shown next to every figure, and the status of a figure against
its target.

No model and no query here: the models check hand-entered targets against this catalogue, and
``reach.measure`` computes the figures from the models; both import it, it imports neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.text import fold

# --- Definitions ---------------------------------------------------------------------------------------

FLOW, STOCK, YESNO = "flow", "stock", "yesno"
DEADLINE, FROM_YEAR = "deadline", "from_year"


@dataclass(frozen=True)
class Indicator:
    code: str
    name: object
    short_name: object
    numerator: object  # what is counted above the line
    denominator: object  # what it is divided by
    explanation: object  # the method, in words, shown next to every figure
    kind: str = FLOW  # FLOW: counted within the period; STOCK: as of the period's end; YESNO
    levels: tuple = ("commune", "province")
    target_mode: str = DEADLINE  # how a year without its own target finds one (see target_for)
    default_target: Decimal | None = None  # when the plan states the target without a number
    annualise: bool = False  # projection: scale the year-to-date value to the whole year
    companion_of: str | None = None  # shown beside another indicator, without a target of its own
    keywords: tuple = field(default_factory=tuple)  # (unaccented, lower-case) words that name it in a plan

    @property
    def period_type(self):
        return _("Year, half-year, nine months and quarter")

    @property
    def level_labels(self) -> str:
        """The levels the indicator is computed at, in words ("thôn, xã, tỉnh")."""
        labels = {"hamlet": _("hamlet"), "commune": _("commune"), "province": _("province")}
        return ", ".join(str(labels.get(level, level)) for level in self.levels)


INDICATORS: list[Indicator] = [
    Indicator(
        "officials_informed",
        _("Officials regularly informed about Resolution 57"),
        _("Officials informed"),
        _(
            "Leaders, cadres, civil servants and public employees who attended at least the required number of "
            "briefings in the period"
        ),
        _("Leaders, cadres, civil servants and public employees serving on the cut-off day"),
        _(
            "Each briefing (thematic session, conference, training on Resolution 57) is recorded with its attendance "
            "list. An official counts as regularly informed when they attended at least N briefings a year (N is set "
            "by the commune, 2 by default); for part of a year the requirement is prorated by the months elapsed, "
            "rounded up, at least one. Only briefings dated up to the cut-off count. Staff count when they serve on "
            "the cut-off day (start date on or before it, end date on or after it); non-specialised workers "
            "(người hoạt động không chuyên trách) are not counted."
        ),
        target_mode=FROM_YEAR,
        keywords=("lanh dao, can bo", "can bo, cong chuc, vien chuc", "duoc tuyen truyen, pho bien"),
    ),
    Indicator(
        "residents_reached",
        _("Residents reached through the grassroots information system"),
        _("Residents reached"),
        _(
            "Residents of the households with at least one attributable contact in the period (a household visit, "
            "a hamlet meeting or conference, an event)"
        ),
        _("Residents of the commune on the cut-off day (sum of household members in the roster that day)"),
        _(
            "Counts people, not contacts: a household visited five times counts once. A contact is attributable "
            "when it names a household of the roster; all members of that household count as reached. Loudspeaker "
            "broadcasts only cover hamlets (shown beside, as coverage by radio), bulletin boards and online views "
            "are not attributable to residents, so neither counts here. The hamlet is the household's current one. "
            "Contacts count up to the cut-off; households and their members are those on the roster that day "
            "(moving in or out, births and deaths are dated changes)."
        ),
        levels=("hamlet", "commune", "province"),
        annualise=True,
        keywords=("nguoi dan tiep can", "nguoi dan duoc tiep can", "he thong thong tin co so"),
    ),
    Indicator(
        "residents_recorded",
        _("People recorded as reached (lower bound)"),
        _("People recorded"),
        _(
            "People recorded on the attributable contacts of each household reached in the period, at most the "
            "household's members"
        ),
        _("Residents of the commune on the cut-off day (sum of household members in the roster that day)"),
        _(
            "A lower bound of residents reached: only the people a contact says it reached count, not every member "
            "of the household. For each household with at least one attributable contact (a household visit, a "
            "hamlet meeting or conference, an event) up to the cut-off, the people recorded on those contacts are "
            "added up (a contact recorded with 0 people counts as 1, since it reached someone of the household) and "
            "capped at the household's members on the cut-off day, so the same person met twice is never counted "
            "beyond the household's size. It never exceeds the residents of the households reached."
        ),
        levels=("commune", "province"),
        companion_of="residents_reached",
    ),
    Indicator(
        "radio_coverage",
        _("Residents covered by loudspeaker broadcasts"),
        _("Covered by radio"),
        _("Residents of the hamlets reached by the clusters of at least one confirmed broadcast in the period"),
        _("Residents of the commune"),
        _(
            "Coverage, not reach: a broadcast is heard by whoever is near a loudspeaker, and nobody is known to have "
            "listened. The figure is shown beside residents reached and never added to it."
        ),
        levels=("hamlet", "commune", "province"),
        annualise=True,
        companion_of="residents_reached",
    ),
    Indicator(
        "survey_reached",
        _("Residents informed, survey estimate"),
        _("Survey estimate"),
        _("Residents of the surveyed hamlets estimated to be informed (each hamlet's share of yes × its residents)"),
        _("Residents of the surveyed hamlets"),
        _(
            "A sample of households in each hamlet is asked: “Did your family receive information on Resolution 57 "
            "through the grassroots information system?”. The estimate is the stratified one: the share answering "
            "yes in each hamlet, weighted by the hamlet's residents (hamlets not surveyed are left out). The 95 "
            "percent interval is Wilson's interval on the effective sample size (the number of households a simple "
            "random sample would need for the same precision), computed from the stratified variance."
        ),
        levels=("hamlet", "commune", "province"),
        companion_of="residents_reached",
    ),
    Indicator(
        "science_tasks_publicised",
        _("State-funded S&T tasks publicised"),
        _("S&T tasks publicised"),
        _(
            "Registered tasks with a published column item linked to them, or an outside publication, by the end of "
            "the period"
        ),
        _("State-funded S&T tasks of the registry approved up to the period's year, except those under state secret"),
        _(
            "The registry lists every state-funded science and technology task of the commune. A task is publicised "
            "when an item of the column that is still published links to it, or when an outside publication (address "
            "and date) is recorded. Tasks involving state secrets are left out of both numbers."
        ),
        kind=STOCK,
        keywords=("nhiem vu khoa hoc", "ngan sach nha nuoc"),
    ),
    Indicator(
        "comms_staff_trained",
        _("Communications staff trained in depth"),
        _("Staff trained in depth"),
        _("Cadres and civil servants on communications duty who completed an in-depth training by the cut-off"),
        _(
            "Cadres and civil servants (cán bộ, công chức) on communication, grassroots information or external "
            "information duty, serving on the cut-off day"
        ),
        _(
            "A training counts when its course is marked in-depth (digital communication skills, science and "
            "technology content) and the staff member's completion is recorded. As the plan words it, the "
            "denominator is the cán bộ and công chức assigned to communication, grassroots information or external "
            "information (flagged so on the staff roster) who serve on the cut-off day; viên chức and "
            "non-specialised workers are not counted."
        ),
        kind=STOCK,
        keywords=("dao tao chuyen sau", "ky nang truyen thong so"),
    ),
    Indicator(
        "column_alive",
        _("The Resolution 57 column kept alive"),
        _("Column kept alive"),
        _("Months of the period with at least the required number of items published in the column"),
        _("Months of the period elapsed so far (the running month once it has its items)"),
        _(
            "Every item the column publishes is recorded when it goes live and counts for that month, even if it is "
            "withdrawn later (unless it was taken down within a day, as a mistake). An item recorded without a page "
            "of the column counts only with its address as evidence. A month with fewer items than the commune's "
            "minimum (one by default) is flagged: the column was not kept alive that month. The month the cut-off "
            "falls in is still running: it counts once it has its items and is never flagged before it ends."
        ),
        target_mode=FROM_YEAR,
        default_target=Decimal(100),
        keywords=("duy tri chuyen muc", "chuyen muc"),
    ),
    Indicator(
        "awards_held",
        _("Yearly S&T, innovation and digital transformation awards held"),
        _("Awards held"),
        _("1 when an award with its decision is recorded in the year by the end of the period"),
        _("1 (one award ceremony a year)"),
        _(
            "The commune records each award ceremony with its date and decision number. The figure is 100 percent "
            "once the year's award is recorded, 0 before."
        ),
        kind=YESNO,
        target_mode=FROM_YEAR,
        default_target=Decimal(100),
        keywords=("khen thuong",),
    ),
]

# The province chooses how the headline "residents reached" counts (``tenancy.Province.ResidentsHeadline``); the
# method text of the headline says which, after the indicator's own explanation.
HOUSEHOLDS, RECORDED = "households", "recorded"
HEADLINE_TEXT = {
    HOUSEHOLDS: _(
        "Headline chosen by the province: the residents of the households reached (every member counts). The "
        "people recorded as reached are shown beside it as a lower bound."
    ),
    RECORDED: _(
        "Headline chosen by the province: the people recorded as reached, a lower bound (the people recorded on "
        "the contacts, a contact of 0 people counting as 1, at most the household's members). The residents of the "
        "households reached are shown beside it."
    ),
}
RECORDED_NUMERATOR = _(
    "People recorded on the attributable contacts of each household reached in the period (a household visit, a "
    "hamlet meeting or conference, an event), at most the household's members"
)


def texts(indicator: Indicator, method: str | None = None) -> tuple[object, object]:
    """(numerator, method) in words for a figure: the headline of residents reached says how its province counts."""
    if indicator.code != "residents_reached" or method is None:
        return indicator.numerator, indicator.explanation
    numerator = RECORDED_NUMERATOR if method == RECORDED else indicator.numerator
    return numerator, f"{indicator.explanation} {HEADLINE_TEXT.get(method, HEADLINE_TEXT[HOUSEHOLDS])}"


BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}
CODES = [i.code for i in INDICATORS]
TARGET_CODES = [i.code for i in INDICATORS if i.companion_of is None]


def get(code: str) -> Indicator | None:
    return BY_CODE.get(code)


# --- A figure against its target ------------------------------------------------------------------------


class IndicatorStatus(models.TextChoices):
    """Where a figure stands against its target (the dashboard, the API and the report all say it so)."""

    ACHIEVED = "achieved", _("Achieved")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    IN_PROGRESS = "in_progress", _("In progress")
    NO_TARGET = "no_target", _("No target")
    NO_DATA = "no_data", _("No data")


# --- Mapping a plan target's text to an indicator ---------------------------------------------------------


# Checked in order: the training target names "cán bộ, công chức" too, so it comes before officials.
_SUGGEST_ORDER = [
    "comms_staff_trained",
    "science_tasks_publicised",
    "residents_reached",
    "awards_held",
    "column_alive",
    "officials_informed",
]


def suggest_indicator(target_text: str) -> str | None:
    """The indicator that measures a plan target, from its text; None when no indicator fits."""
    text = " ".join(fold(target_text or "").split())
    if not text:
        return None
    if "nguoi dan" in text and "tiep can" in text:
        return "residents_reached"
    if "dao tao" in text and ("truyen thong" in text or "chuyen sau" in text):
        return "comms_staff_trained"
    for code in _SUGGEST_ORDER:
        if any(k in text for k in BY_CODE[code].keywords):
            return code
    return None
