"""What a plan still lacks: the review before finishing and `implan show` read these findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.core.enums import FindingKind
from tui.core.kinds import kind_of
from tui.core.plan import Plan
from tui.core.templates import ItemSpec, SectionSpec
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
            return f"{n} {'mål eller milepæl' if one else 'mål og milepæle'} mangler dato"
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
    from tui.core.initiatives import plan_initiatives

    findings: list[Finding] = cpr_findings(plan)
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
            findings += _item_findings(plan, section, item, by_item.get(item.id))
    return findings


def _item_findings(plan: Plan, section: SectionSpec, item: ItemSpec, initiative: Initiative | None) -> list[Finding]:
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
    for field in plan.required_fields(item):
        if field.id in covered or plan.is_filled(item.id, field.id):
            continue
        findings.append(Finding(FindingKind.UNANSWERED, section.id, item.id, field.id,
                                f"{title}: »{field.label}« er ikke udfyldt."))
    for field in itype.fields:
        for what, message, milestone_id in kind_of(field.kind).findings(plan, item.id, field, title):
            findings.append(Finding(what, section.id, item.id, field.id, message, milestone_id))
        # (When the date is also the initiative's deadline, "no deadline" already says it.)
        if (field.date_field and field.date_field not in covered and plan.is_filled(item.id, field.id)
                and not plan.is_filled(item.id, field.date_field) and not plan.draft(item.id, field.date_field)):
            date_label = plan.field_spec(item.id, field.date_field).label
            findings.append(Finding(FindingKind.NOT_SMART, section.id, item.id, field.date_field,
                                    f"{title}: »{field.label}« har ingen dato (»{date_label}«)."))
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


def cpr_findings(plan: Plan) -> list[Finding]:
    """Text that looks like a CPR number: first in the review, each a jump to where it is."""
    from tui.core.cpr import CPR_WARNING, plan_cpr_hits

    findings = []
    for hit in plan_cpr_hits(plan):
        # The plan's title, a meeting note, the history: no section (nothing in the wizard to jump to).
        findings.append(Finding(FindingKind.CPR, hit.section_id or "", hit.item_id, hit.field_id,
                                f"{hit.masked} i {hit.where} – {CPR_WARNING}.", hit.milestone_id))
    return findings
