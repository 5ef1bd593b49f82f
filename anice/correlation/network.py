"""The network view: identifiers shared by two or more of the cases an officer may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from .. import policy
from ..errors import Invalid, NotFound
from ..models import Case, Officer
from ..models.correlation import CaseIdentifier, IdentifierKind, IdentifierNoise
from .links import strength_label, strength_of

CI = CaseIdentifier
CASES_PER_GROUP = 12


@dataclass
class Group:
    kind: IdentifierKind
    value: str
    total: int
    cases: list[Case] = field(default_factory=list)

    @property
    def shown(self) -> str:
        return "(kept as a keyed hash)" if self.kind.hashed else self.value

    @property
    def strength(self) -> str:
        return strength_label(strength_of([self.kind]))


@dataclass
class Network:
    groups: list[Group]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _not_noise():
    return ~exists().where(IdentifierNoise.kind == CI.kind, IdentifierNoise.value == CI.value,
                           IdentifierNoise.lifted_at.is_(None),
                           or_(IdentifierNoise.country_code.is_(None),
                               IdentifierNoise.country_code == CI.country_code))


def network(db: Session, actor: Officer, kind: str = "", page: int = 1,
            per_page: int = 25) -> Network:
    """Shared identifiers among the actor's visible cases, most shared first."""
    if not policy.can_view_network(actor):
        raise NotFound(gettext("No such page."))
    visible = select(Case.id).where(policy.visible_cases(actor))
    where = [CI.case_id.in_(visible), _not_noise()]
    if kind:
        try:
            where.append(CI.kind == IdentifierKind(kind))
        except ValueError:
            raise Invalid("kind", gettext("'%(kind)s' is not a kind of identifier",
                                          kind=kind)) from None
    grouped = (select(CI.kind, CI.value, func.count().label("n")).where(*where)
               .group_by(CI.kind, CI.value).having(func.count() >= 2))
    total = db.scalar(select(func.count()).select_from(grouped.subquery())) or 0
    rows = db.execute(grouped.order_by(func.count().desc(), CI.kind, CI.value)
                      .limit(per_page).offset((page - 1) * per_page)).all()
    groups = [Group(IdentifierKind(k), v, n) for k, v, n in rows]
    if groups:
        _fill(db, visible, groups)
    return Network(groups, total, page, per_page)


def _fill(db: Session, visible, groups: list[Group]) -> None:
    wanted = or_(*[and_(CI.kind == g.kind, CI.value == g.value) for g in groups])
    members: dict[tuple, list[int]] = defaultdict(list)
    for kind, value, case_id in db.execute(select(CI.kind, CI.value, CI.case_id)
                                           .where(wanted, CI.case_id.in_(visible))
                                           .order_by(CI.case_id.desc())):
        members[(IdentifierKind(kind), value)].append(case_id)
    ids = {i for group_ids in members.values() for i in group_ids[:CASES_PER_GROUP]}
    cases = {c.id: c for c in db.scalars(select(Case).where(Case.id.in_(ids)))}
    for g in groups:
        g.cases = [cases[i] for i in members[(g.kind, g.value)][:CASES_PER_GROUP] if i in cases]


@dataclass
class Node:
    x: int
    y: int
    label: str
    title: str
    href: str | None = None


@dataclass
class Picture:
    width: int
    height: int
    identifiers: list[Node]
    cases: list[Node]
    edges: list[tuple[int, int, int, int]]


def picture(groups: list[Group], limit: int = 12) -> Picture | None:
    """A two-column graph (identifiers left, cases right), laid out on the server."""
    groups = groups[:limit]
    if not groups:
        return None
    row = 30
    case_nodes: dict[int, Node] = {}
    ident_nodes, edges = [], []
    for g in groups:
        for c in g.cases[:6]:
            if c.id not in case_nodes:
                case_nodes[c.id] = Node(560, 30 + row * len(case_nodes), c.reference,
                                        c.title, f"/cases/{c.id}")
    height = 30 + row * max(len(groups), len(case_nodes))
    step = (height - 30) / len(groups)
    for i, g in enumerate(groups):
        y = int(30 + step * i + step / 2 - row / 2)
        kind = gettext(g.kind.label)
        shown = g.shown if len(g.shown) <= 24 else g.shown[:23] + "…"
        ident_nodes.append(Node(200, y, f"{kind}: {shown}", gettext(
            "%(kind)s: %(value)s (cases: %(num)s)", kind=kind, value=g.shown, num=g.total)))
        for c in g.cases[:6]:
            target = case_nodes[c.id]
            edges.append((206, y, 554, target.y))
    return Picture(820, height + 10, ident_nodes, list(case_nodes.values()), edges)
