"""The report's tables, built once from the frozen figures for every rendering (page, PDF,
CSV, XLSX), so that all of them show the same cells.

A withheld cell (small-cell suppression) is shown as "c" (confidential), as official
statistics do; a figure that does not exist (no takedown achieved, no rate) as "–".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import wording
from .wording import word

WITHHELD = "c"
NONE = "–"


def withheld_note(n) -> str:
    return _("c: withheld, so that no single case can be singled out (fewer than %(n)s "
             "cases, or a cell that would give such a figure away).", n=n)


@dataclass
class Column:
    key: str
    label: str
    kind: str = "count"  # count, money, days, percent, change, text
    wrap: bool = False  # free text that may hold long unbroken strings (screen: td.wrap)


class Figure(NamedTuple):
    """One cell before formatting: what the exports write as a typed number."""

    value: object
    kind: str
    withheld: bool = False

    def shown(self) -> str:
        return cell(self.value, self.kind, self.withheld)


@dataclass
class Fact:
    label: str
    figure: Figure


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict]
    total: dict | None = None
    note: str = ""
    suppressed: list[bool] = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]
    figures: list[Fact] = field(default_factory=list)

    @property
    def facts(self) -> list[tuple[str, str]]:
        """(label, value as shown) of the section's single figures."""
        return [(f.label, f.figure.shown()) for f in self.figures]


def cell(value, kind: str, withheld: bool = False) -> str:
    """One figure as shown to a reader."""
    if value is None:
        return WITHHELD if withheld else NONE
    if kind == "text":
        return str(value)
    if kind in ("count", "money", "days", "percent", "change"):
        return wording.number(Decimal(str(value)), kind)
    return str(value)


def row_figures(table: Table, row: dict) -> list[Figure]:
    withheld = bool(row.get("suppressed"))
    return [Figure(row.get(c.key), c.kind, withheld and c.kind != "text")
            for c in table.columns]


def row_cells(table: Table, row: dict) -> list[str]:
    return [f.shown() for f in row_figures(table, row)]


def _withheld(section: dict | None) -> bool:
    return bool(section and section.get("suppressed"))


def _worded(rows: list[dict], *keys: str) -> list[dict]:
    """The rows with the words of ``keys`` (enum values in words) in the reader's language."""
    return [r | {k: word(r.get(k)) for k in keys} for r in rows]


DIRECTIONS = {"all": _l("All"), "sent": _l("Sent"), "received": _l("Received")}


def _direction(rows: list[dict]) -> list[dict]:
    return [r | {"direction": str(DIRECTIONS.get(r.get("direction"), r.get("direction")))}
            for r in rows]


def _total() -> dict:
    return {"label": _("Total")}


def _cases(f: dict) -> Section:
    c = f["cases"]
    kinds = [Column("label", _("Kind"), "text"), Column("cases", _("Cases"))]
    opened = Table("cases_opened", _("Cases opened by kind"), kinds,
                   _worded(c["opened"]["rows"], "label"), c["opened"]["total"])
    closed = Table("cases_closed", _("Cases closed by kind"), kinds,
                   _worded(c["closed"]["rows"], "label"), c["closed"]["total"])
    types = Table("right_types", _("IP right types involved"),
                  [Column("label", _("Right type"), "text"), Column("opened", _("In cases opened")),
                   Column("closed", _("In cases closed"))],
                  [r | {"label": word(r["label"]), "suppressed": f.get("min_cell") is not None
                        and (r["opened"] is None or r["closed"] is None)}
                   for r in c["right_types"]],
                  note=_("A case may involve several right types."))
    return Section("cases", _("Cases opened and closed"), [opened, closed, types])


def _prosecutions(f: dict) -> Section:
    c = f["cases"]
    outcomes = Table("outcomes", _("Outcomes of the cases closed"),
                     [Column("label", _("Outcome"), "text"), Column("cases", _("Cases"))],
                     _worded(c["outcomes"]["rows"], "label"), c["outcomes"]["total"])
    hearings = c.get("court_hearings")
    facts = [Fact(_("Court hearings dated in the period"),
                  Figure(hearings, "count", f.get("min_cell") is not None))]
    return Section("prosecutions", _("Prosecutions and court outcomes"), [outcomes], facts)


def _seizures(f: dict) -> Section:
    s = f["seizures"]
    currency = (f.get("rate") or {}).get("currency")
    columns = [Column("label", _("Category (unit)"), "text"), Column("items", _("Items")),
               Column("cases", _("Cases")), Column("quantity", _("Quantity")),
               Column("value_usd", _("Value (USD)"), "money")]
    if currency:
        columns.append(Column("value_local", _("Value (%(currency)s)", currency=currency),
                              "money"))
    note = ""
    rate = f.get("rate")
    if rate and rate["usd_per_unit"]:
        note = _("Values in %(currency)s: as recorded when the item was in %(currency)s; "
                 "other items converted from USD at %(rate)s USD per %(currency)s (reference "
                 "rate of %(day)s).", currency=rate["currency"],
                 rate=wording.format_decimal(Decimal(rate["usd_per_unit"]), "#,##0.######",
                                             locale=wording.locale()),
                 day=wording.day(rate["on"]))
    elif rate:
        note = _("Values in %(currency)s: as recorded when the item was in %(currency)s; "
                 "no reference rate of %(day)s to convert the others from USD.",
                 currency=rate["currency"], day=wording.day(rate["on"]))
    tables = [Table("seizures", _("Seizures by product category"), columns,
                    [r | {"label": seizure_label(r)} for r in s["rows"]],
                    s["total"] | _total(), note)]
    min_cell = f.get("min_cell")
    if "rights" in s:
        tables.append(Table(
            "rights", _("Top infringed rights by seizure value"),
            [Column("right", _("Right (office, number)"), "text", wrap=True),
             Column("mark", _("Word mark"), "text", wrap=True),
             Column("holder", _("Holder"), "text", wrap=True),
             Column("cases", _("Cases")), Column("items", _("Items")),
             Column("quantity", _("Quantity")), Column("value_usd", _("Value (USD)"), "money")],
            s["rights"], note=" ".join(filter(None, (
                _("Items an officer confirmed as infringing a registered right."),
                min_cell and _("Only rights seen in at least %(n)s cases are listed.",
                               n=min_cell))))))
    if "brands" in s:
        # schema 3 on: the matcher's reading of items no confirmed right covers
        read = "rights" in s
        tables.append(Table(
            "brands", _("Other brands by seizure value") if read
            else _("Top brands by seizure value"),
            [Column("brand", _("Brand (as read)") if read else _("Brand as seen"), "text",
                    wrap=True),
             Column("cases", _("Cases")), Column("items", _("Items")),
             Column("value_usd", _("Value (USD)"), "money")],
            s["brands"], note=" ".join(filter(None, (
                _("Items with no confirmed right, grouped by how the matcher reads the brand "
                  "(NIKE, NlKE and Nlke are one).") if read else "",
                min_cell and _("Only brands seen in at least %(n)s cases are listed.",
                               n=min_cell))))))
    return Section("seizures", _("Seizures"), tables)


def seizure_label(row: dict) -> str:
    """"Apparel (pieces)": the category and the unit in the reader's words."""
    english, _sep, unit = (row.get("label") or "").rpartition(" (")
    if not english:
        return row.get("label") or ""
    return _("%(category)s (%(unit)s)", category=word(english), unit=word(unit.rstrip(")")))


def _takedowns(f: dict) -> Section:
    t = f["takedowns"]
    columns = [Column("label", _("Platform"), "text"), Column("listings", _("Requested")),
               Column("achieved", _("Achieved")), Column("refused", _("Refused")),
               Column("open", _("Pending or no answer")),
               Column("mean_days", _("Mean days"), "days"),
               Column("median_days", _("Median days"), "days")]
    total = t["total"]
    facts = [Fact(_("Achieved"), Figure(total.get("achieved_rate"), "percent")),
             Fact(_("Median days to removal"), Figure(total.get("median_days"), "days")),
             Fact(_("90th percentile, days"), Figure(total.get("p90_days"), "days"))]
    return Section("takedowns", _("Online takedowns"),
                   [Table("takedowns", _("Takedowns requested in the period, by platform"),
                          columns, _worded(t["rows"], "label"), total | _total(),
                          _("Days from the request to the removal, for achieved takedowns."))],
                   facts)


def _referrals(f: dict) -> Section:
    r = f["referrals"]
    counts = [Column("referrals", _("Referrals")), Column("accepted", _("Accepted")),
              Column("declined", _("Declined")), Column("awaiting", _("Waiting")),
              Column("overdue", _("Overdue"))]
    pairs = Table("referral_pairs", _("Referrals by country pair"),
                  [Column("direction", _("Direction"), "text"), Column("from", _("From"), "text"),
                   Column("to", _("To"), "text"), *counts], _direction(r["pairs"]))
    actions = Table("referral_actions", _("Referrals by requested action"),
                    [Column("direction", _("Direction"), "text"),
                     Column("label", _("Requested action"), "text"), *counts],
                    _direction(_worded(r["actions"], "label")))
    rows = [{"label": str(DIRECTIONS[k]), **v}
            for k, v in r["directions"].items()]
    directions = Table("referral_times", _("Response times and rates"),
                       [Column("label", _("Referrals"), "text"), Column("referrals", _("Count")),
                        Column("median_days", _("Median days to response"), "days"),
                        Column("p90_days", _("90th percentile, days"), "days"),
                        Column("acceptance_rate", _("Accepted"), "percent"),
                        Column("overdue_rate", _("Overdue"), "percent")], rows,
                       note=_("Response: from sending to the receiver's first response. "
                              "Accepted: share of the decided ones. Overdue: deadline before "
                              "%(day)s and still waiting when the report was made.",
                              day=wording.day(f["as_of"])))
    return Section("referrals", _("Referrals"), [directions, pairs, actions])


def _matches(f: dict) -> Section:
    m = f["matches"]
    withheld = _withheld(m)
    facts = [Fact(_("Confirmed matches"), Figure(m.get("confirmed"), "count", withheld)),
             Fact(_("Cases with a confirmed match"), Figure(m.get("cases"), "count", withheld)),
             Fact(_("Registered rights"), Figure(m.get("rights"), "count", withheld)),
             Fact(_("Right holders contacted"), Figure(m.get("holders"), "count", withheld))]
    return Section("matches", _("Right holders contacted through matches"), [], facts)


def _verifications(f: dict) -> Section | None:
    v = f.get("verifications")
    if v is None:  # reports made before schema 4
        return None
    columns = [Column("requests", _("Requests")), Column("answered", _("Answered")),
               Column("in_time", _("Within the deadline")),
               Column("in_time_rate", _("Within the deadline, of answered"), "percent"),
               Column("median_days", _("Median days to answer"), "days"),
               Column("counterfeit_rate", _("Answered counterfeit"), "percent"),
               Column("overdue", _("Overdue")), Column("holders", _("Holders reached"))]
    total = v["total"] | _total()
    note = _("Requests sent in the period from the cases the report counts. Within the "
             "deadline: answered on or before the last working day, in the sending "
             "country's time zone. Days from sending to the answer. Overdue: deadline before "
             "%(day)s and still waiting.", day=wording.day(f["as_of"]))
    tables = [Table("verification_countries", _("Verification requests by member state"),
                    [Column("label", _("Member state"), "text"), *columns], v["countries"],
                    total, note),
              Table("verification_holders", _("Verification requests by right holder"),
                    [Column("label", _("Right holder"), "text", wrap=True), *columns],
                    v["holders"], total)]
    withheld = _withheld(v["total"])
    # A median or a share over too few answers is withheld ("c"); none at all is "–".
    few = withheld or bool(f.get("min_cell") and v["total"]["answered"])
    facts = [Fact(_("Requests sent"), Figure(v["total"]["requests"], "count", withheld)),
             Fact(_("Answered within the deadline"),
                  Figure(v["total"]["in_time"], "count", withheld)),
             Fact(_("Median days to answer"),
                  Figure(v["total"]["median_days"], "days", few)),
             Fact(_("Answered counterfeit"),
                  Figure(v["total"]["counterfeit_rate"], "percent", few)),
             Fact(_("Right holders reached"), Figure(v["total"]["holders"], "count", withheld))]
    return Section("verifications", _("Verification requests"), tables, facts)


def _countries(f: dict) -> Section | None:
    if "by_country" not in f:
        return None
    rows = [r | {"suppressed": bool(r.get("suppressed"))} for r in f["by_country"]["rows"]]
    table = Table("by_country", _("Member states"),
                  [Column("label", _("Member state"), "text"), Column("opened", _("Cases opened")),
                   Column("closed", _("Cases closed")),
                   Column("seizure_items", _("Seizure items")),
                   Column("value_usd", _("Seizure value (USD)"), "money")], rows)
    return Section("countries", _("By member state"), [table])


def headline_figures(f: dict) -> tuple[list[str], list[list[Figure]]]:
    """The main figures with both comparisons: column labels and rows of figures (a row's
    kind follows its unit, so the table's columns have none of their own)."""
    names = f.get("comparison", {})
    withheld = f.get("min_cell") is not None
    rows = []
    for h in f.get("headline", []):
        kind = {"count": "count", "days": "days"}.get(h["unit"], "money")
        label = wording.headline_label(h)
        rows.append([Figure(label, "text"), Figure(h["value"], kind, withheld),
                     Figure(h["previous"], kind, withheld),
                     Figure(h["change_previous"], "change"),
                     Figure(h["year_ago"], kind, withheld),
                     Figure(h["change_year_ago"], "change")])
    previous, year_ago = names.get("previous", {}), names.get("year_ago", {})
    labels = [_("Figure"), wording.period_label(wording.period_of(f)),
              wording.period_key_label(previous.get("key"), _("Previous")), _("Change"),
              wording.period_key_label(year_ago.get("key"), _("Year earlier")), _("Change")]
    return labels, rows


def headline_table(f: dict) -> Table:
    labels, rows = headline_figures(f)
    keys = ["label", "value", "previous", "change_previous", "year_ago", "change_year_ago"]
    return Table("headline", _("Main figures"),
                 [Column(k, label, "text") for k, label in zip(keys, labels, strict=True)],
                 [{k: fig.shown() for k, fig in zip(keys, row, strict=True)} for row in rows])


def sections(f: dict) -> list[Section]:
    out = [_cases(f), _seizures(f), _takedowns(f), _prosecutions(f), _referrals(f),
           _matches(f)]
    for extra in (_verifications(f), _countries(f)):
        if extra:
            out.append(extra)
    return out
