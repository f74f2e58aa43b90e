"""What a plan still lacks: the review before finishing and `implan show` read these findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.core.enums import FindingKind
from tui.core.kinds import FieldKind, kind_of
from tui.core.plan import Plan
from tui.core.smart import is_measurable
from tui.core.templates import FieldSpec, ItemSpec, SectionSpec
from tui.core.text import shorten_words

if TYPE_CHECKING:
    from tui.core.initiatives import Initiative



@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    section_id: str
    item_id: str | None
    field_id: str | None
    message: str
    milestone_id: str | None = None

    @property
    def label(self) -> str:
        return self.kind.label


def short_title(title: str, limit: int = 60) -> str:
    """A template's question can be three lines long; a finding names it by its first words."""
    return shorten_words(title, limit)


def _counted(kind: FindingKind, n: int) -> str:
    """'3 initiativer mangler ansvarlig': one kind of finding, counted, for a summary line."""
    one = n == 1
    match kind:
        case FindingKind.CPR:
            return f"{n} {'tekst ligner' if one else 'tekster ligner'} et CPR-nummer"
        case FindingKind.BAD_DATE:
            return f"{n} {'dato er ugyldig' if one else 'datoer er ugyldige'}"
        case FindingKind.GAP:
            return f"{n} svar peger på et hul uden initiativ"
        case FindingKind.NO_RESPONSIBLE:
            return f"{n} {'initiativ' if one else 'initiativer'} mangler ansvarlig"
        case FindingKind.NO_DEADLINE:
            return f"{n} {'initiativ' if one else 'initiativer'} mangler deadline"
        case FindingKind.NOT_SMART:
            return f"{n} {'mål eller milepæl er' if one else 'mål og milepæle er'} ikke SMART"
        case FindingKind.TOO_FEW:
            return f"{n} afsnit har færre elementer end anbefalet"
        case _:
            return f"{n} {'felt er' if one else 'felter er'} ikke udfyldt"


def findings_summary(findings: list[Finding]) -> str:
    """One line for a shared document: what is missing, counted by kind, most serious first."""
    counts: dict[FindingKind, int] = {}
    for finding in findings:
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    return ", ".join(_counted(kind, counts[kind]) for kind in FindingKind if kind in counts)


def plan_findings(plan: Plan, initiatives: list[Initiative] | None = None) -> list[Finding]:
    """`initiatives`: the plan's, when the caller has them already (they are not cheap)."""
    return cpr_findings(plan) + item_findings(plan, initiatives)


def item_findings(plan: Plan, initiatives: list[Initiative] | None = None, *,
                  unanswered: bool = True) -> list[Finding]:
    """plan_findings without the CPR scan of all the plan's text: what the sections and their
    items lack. `unanswered=False` leaves out the required fields not filled (the outstanding
    view shows no note for them, and reads this for every plan)."""
    from tui.core.initiatives import plan_initiatives

    findings: list[Finding] = []
    by_item = {i.item_id: i for i in (plan_initiatives(plan) if initiatives is None else initiatives)}
    for section in plan.sections():
        items = plan.items(section)
        spec = section.added_items
        if spec and spec.recommended_min and not section.items and len(items) < spec.recommended_min:
            itype = plan.template.item_types[spec.type]
            label = (itype.label if len(items) == 1 else itype.label_plural).lower()
            findings.append(Finding(
                FindingKind.TOO_FEW, section.id, None, None,
                f"{section.title}: {len(items)} {label}. {spec.recommendation}".strip(),
            ))
        for item in items:
            findings += _item_findings(plan, section, item, by_item.get(item.id), unanswered)
    return findings


def _item_findings(plan: Plan, section: SectionSpec, item: ItemSpec, initiative: Initiative | None,
                   unanswered: bool = True) -> list[Finding]:
    """What one item lacks: its initiative's responsible and deadline, its required answers,
    what its fields' kinds find wrong, dates for SMART, and a gap without an initiative."""
    findings: list[Finding] = []
    itype = plan.item_type(item)
    title = short_title(plan.item_title(item))
    covered = set()
    if initiative is not None:
        covered = {initiative.responsible_field, initiative.deadline_field}
        if not initiative.responsible:
            findings.append(Finding(FindingKind.NO_RESPONSIBLE, section.id, item.id, initiative.responsible_field,
                                    f"»{short_title(initiative.title)}« har ingen ansvarlig."))
        if plan.value(item.id, initiative.deadline_field) == "" and not plan.draft(item.id, initiative.deadline_field):
            label = plan.field_spec(item.id, initiative.deadline_field).label
            findings.append(Finding(FindingKind.NO_DEADLINE, section.id, item.id, initiative.deadline_field,
                                    f"»{short_title(initiative.title)}« har ingen deadline (»{label}« er tom)."))
    for field in plan.required_fields(item) if unanswered else ():
        if field.id in covered or plan.is_filled(item.id, field.id):
            continue
        findings.append(Finding(FindingKind.UNANSWERED, section.id, item.id, field.id,
                                f"{title}: »{field.label}« er ikke udfyldt."))
    for field in itype.fields:
        for what, message, milestone_id in kind_of(field.kind).findings(plan, item.id, field, title):
            findings.append(Finding(what, section.id, item.id, field.id, message, milestone_id))
        findings += _smart_findings(plan, section, item, field, title, covered)
    gap = itype.gap_check
    if gap:
        answer = plan.value(item.id, gap.answer)
        answer_field = plan.field_spec(item.id, gap.answer)
        choice = plan.template.scales[answer_field.scale or ""].choice(answer) if answer else None
        if choice and choice.gap and not plan.is_filled(item.id, gap.initiative):
            findings.append(Finding(FindingKind.GAP, section.id, item.id, gap.initiative,
                                    f"{title}: svaret er »{choice.label}«, men der er intet initiativ, "
                                    "der lukker hullet."))
    return findings


def _smart_findings(plan: Plan, section: SectionSpec, item: ItemSpec, field: FieldSpec, title: str,
                    covered: set[str]) -> list[Finding]:
    """A goal (a field with a date beside it) that is filled: is it SMART (tui/core/smart.py)?
    Its date and, for an initiative, its owner; its text measurable. What the initiative's own
    findings say already (no owner, no deadline) is not said twice."""
    if not field.date_field or not plan.is_filled(item.id, field.id):
        return []
    findings = []
    owner = next((f for f in plan.item_type(item).fields if f.kind == FieldKind.RESPONSIBLE), None)
    if owner is not None and owner.id not in covered and not plan.is_filled(item.id, owner.id):
        findings.append(Finding(FindingKind.NOT_SMART, section.id, item.id, owner.id,
                                f"{title}: »{field.label}« har ingen ansvarlig (»{owner.label}«)."))
    if (field.date_field not in covered and not plan.is_filled(item.id, field.date_field)
            and not plan.draft(item.id, field.date_field)):
        date_label = plan.field_spec(item.id, field.date_field).label
        findings.append(Finding(FindingKind.NOT_SMART, section.id, item.id, field.date_field,
                                f"{title}: »{field.label}« har ingen dato (»{date_label}«)."))
    if not is_measurable(str(plan.value(item.id, field.id))):
        findings.append(Finding(FindingKind.NOT_SMART, section.id, item.id, field.id,
                                f"{title}: »{field.label}« siger ikke, hvordan det måles – skriv et tal "
                                "(fx »80 % af sagerne«) eller et kriterium (fx »alle nye rådgivere har …«)."))
    return findings


# Findings the progress counts already, as a required field not filled or items missing.
_COUNTED_BY_PROGRESS = frozenset({FindingKind.UNANSWERED, FindingKind.TOO_FEW})


def open_issue_counts(plan: Plan, findings: list[Finding] | None = None) -> dict[str, int]:
    """section id -> the review's findings there that are more than an empty required field:
    each place (field, milestone) counted once. Plan.progress adds them to what is missing."""
    places: dict[str, set[tuple[str | None, str | None, str | None]]] = {}
    for finding in plan_findings(plan) if findings is None else findings:
        if finding.kind in _COUNTED_BY_PROGRESS or not finding.section_id:
            continue
        if finding.item_id and finding.field_id and finding.milestone_id is None \
                and _required_and_empty(plan, finding.item_id, finding.field_id):
            continue  # e.g. no owner where the owner is a required answer: counted once already
        places.setdefault(finding.section_id, set()).add((finding.item_id, finding.field_id, finding.milestone_id))
    return {section_id: len(found) for section_id, found in places.items()}


def _required_and_empty(plan: Plan, item_id: str, field_id: str) -> bool:
    try:
        _, item = plan.find_item(item_id)
    except KeyError:
        return False
    return not plan.is_filled(item_id, field_id) and any(f.id == field_id for f in plan.required_fields(item))


def cpr_findings(plan: Plan) -> list[Finding]:
    """Text that looks like a CPR number: first in the review, each a jump to where it is."""
    from tui.core.cpr import CPR_WARNING, plan_cpr_hits

    findings = []
    for hit in plan_cpr_hits(plan):
        # The plan's title, a meeting note, the history: no section (nothing in the wizard to jump to).
        findings.append(Finding(FindingKind.CPR, hit.section_id or "", hit.item_id, hit.field_id,
                                f"{hit.masked} i {hit.where} – {CPR_WARNING}.", hit.milestone_id))
    return findings
