"""The report's tables, built once from the frozen figures for every rendering (page, PDF,
CSV, XLSX), so that all of them show the same cells.

A withheld cell (small-cell suppression) is shown as "c" (confidential), as official
statistics do; a figure that does not exist (no takedown achieved, no rate) as "–".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

WITHHELD = "c"
NONE = "–"
WITHHELD_NOTE = ("c: withheld, so that no single case can be singled out (fewer than {n} "
                 "cases, or a cell that would give such a figure away).")


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
    number = Decimal(str(value))
    if kind == "count":
        return f"{number:,.0f}" if number == number.to_integral() else f"{number:,}"
    if kind == "money":
        return f"{number:,.2f}"
    if kind == "days":
        return f"{number:,.1f}"
    if kind == "percent":
        return f"{number:.1f} %"
    if kind == "change":
        return f"{number:+.1f} %".replace("-", "\u2212")
    return str(value)


def row_figures(table: Table, row: dict) -> list[Figure]:
    withheld = bool(row.get("suppressed"))
    return [Figure(row.get(c.key), c.kind, withheld and c.kind != "text")
            for c in table.columns]


def row_cells(table: Table, row: dict) -> list[str]:
    return [f.shown() for f in row_figures(table, row)]


def _withheld(section: dict | None) -> bool:
    return bool(section and section.get("suppressed"))


def _cases(f: dict) -> Section:
    c = f["cases"]
    kinds = [Column("label", "Kind", "text"), Column("cases", "Cases")]
    opened = Table("cases_opened", "Cases opened by kind", kinds, c["opened"]["rows"],
                   c["opened"]["total"])
    closed = Table("cases_closed", "Cases closed by kind", kinds, c["closed"]["rows"],
                   c["closed"]["total"])
    types = Table("right_types", "IP right types involved",
                  [Column("label", "Right type", "text"), Column("opened", "In cases opened"),
                   Column("closed", "In cases closed")],
                  [r | {"suppressed": f.get("min_cell") is not None and (
                      r["opened"] is None or r["closed"] is None)} for r in c["right_types"]],
                  note="A case may involve several right types.")
    return Section("cases", "Cases opened and closed", [opened, closed, types])


def _prosecutions(f: dict) -> Section:
    c = f["cases"]
    outcomes = Table("outcomes", "Outcomes of the cases closed",
                     [Column("label", "Outcome", "text"), Column("cases", "Cases")],
                     c["outcomes"]["rows"], c["outcomes"]["total"])
    hearings = c.get("court_hearings")
    facts = [Fact("Court hearings dated in the period",
                  Figure(hearings, "count", f.get("min_cell") is not None))]
    return Section("prosecutions", "Prosecutions and court outcomes", [outcomes], facts)


def _seizures(f: dict) -> Section:
    s = f["seizures"]
    currency = (f.get("rate") or {}).get("currency")
    columns = [Column("label", "Category (unit)", "text"), Column("items", "Items"),
               Column("cases", "Cases"), Column("quantity", "Quantity"),
               Column("value_usd", "Value (USD)", "money")]
    if currency:
        columns.append(Column("value_local", f"Value ({currency})", "money"))
    note = ""
    rate = f.get("rate")
    if rate:
        note = (f"Values in {rate['currency']}: as recorded when the item was in "
                f"{rate['currency']}; other items converted from USD at "
                f"{rate['usd_per_unit'] or 'no rate'} USD per {rate['currency']} "
                f"(reference rate of {rate['on']}).")
    tables = [Table("seizures", "Seizures by product category", columns, s["rows"],
                    s["total"] | {"label": "Total"}, note)]
    min_cell = f.get("min_cell")
    listed = f"Only {{}} seen in at least {min_cell} cases are listed." if min_cell else ""
    if "rights" in s:
        tables.append(Table(
            "rights", "Top infringed rights by seizure value",
            [Column("right", "Right (office, number)", "text", wrap=True),
             Column("mark", "Word mark", "text", wrap=True),
             Column("holder", "Holder", "text", wrap=True),
             Column("cases", "Cases"), Column("items", "Items"),
             Column("quantity", "Quantity"), Column("value_usd", "Value (USD)", "money")],
            s["rights"], note=" ".join(filter(None, (
                "Items an officer confirmed as infringing a registered right.",
                listed.format("rights"))))))
    if "brands" in s:
        # schema 3 on: the matcher's reading of items no confirmed right covers
        read = "rights" in s
        tables.append(Table(
            "brands", "Other brands by seizure value" if read else "Top brands by seizure value",
            [Column("brand", "Brand (as read)" if read else "Brand as seen", "text", wrap=True),
             Column("cases", "Cases"), Column("items", "Items"),
             Column("value_usd", "Value (USD)", "money")],
            s["brands"], note=" ".join(filter(None, (
                "Items with no confirmed right, grouped by how the matcher reads the brand "
                "(NIKE, NlKE and Nlke are one)." if read else "",
                listed.format("brands"))))))
    return Section("seizures", "Seizures", tables)


def _takedowns(f: dict) -> Section:
    t = f["takedowns"]
    columns = [Column("label", "Platform", "text"), Column("listings", "Requested"),
               Column("achieved", "Achieved"), Column("refused", "Refused"),
               Column("open", "Pending or no answer"), Column("mean_days", "Mean days", "days"),
               Column("median_days", "Median days", "days")]
    total = t["total"]
    facts = [Fact("Achieved", Figure(total.get("achieved_rate"), "percent")),
             Fact("Median days to removal", Figure(total.get("median_days"), "days")),
             Fact("90th percentile, days", Figure(total.get("p90_days"), "days"))]
    return Section("takedowns", "Online takedowns",
                   [Table("takedowns", "Takedowns requested in the period, by platform",
                          columns, t["rows"], total | {"label": "Total"},
                          "Days from the request to the removal, for achieved takedowns.")],
                   facts)


def _referrals(f: dict) -> Section:
    r = f["referrals"]
    counts = [Column("referrals", "Referrals"), Column("accepted", "Accepted"),
              Column("declined", "Declined"), Column("awaiting", "Waiting"),
              Column("overdue", "Overdue")]
    pairs = Table("referral_pairs", "Referrals by country pair",
                  [Column("direction", "Direction", "text"), Column("from", "From", "text"),
                   Column("to", "To", "text"), *counts], r["pairs"])
    actions = Table("referral_actions", "Referrals by requested action",
                    [Column("direction", "Direction", "text"),
                     Column("label", "Requested action", "text"), *counts], r["actions"])
    rows = [{"label": {"all": "All", "sent": "Sent", "received": "Received"}[k], **v}
            for k, v in r["directions"].items()]
    directions = Table("referral_times", "Response times and rates",
                       [Column("label", "Referrals", "text"), Column("referrals", "Count"),
                        Column("median_days", "Median days to response", "days"),
                        Column("p90_days", "90th percentile, days", "days"),
                        Column("acceptance_rate", "Accepted", "percent"),
                        Column("overdue_rate", "Overdue", "percent")], rows,
                       note="Response: from sending to the receiver's first response. "
                            "Accepted: share of the decided ones. Overdue: deadline before "
                            f"{f['as_of']} and still waiting when the report was made.")
    return Section("referrals", "Referrals", [directions, pairs, actions])


def _matches(f: dict) -> Section:
    m = f["matches"]
    withheld = _withheld(m)
    facts = [Fact("Confirmed matches", Figure(m.get("confirmed"), "count", withheld)),
             Fact("Cases with a confirmed match", Figure(m.get("cases"), "count", withheld)),
             Fact("Registered rights", Figure(m.get("rights"), "count", withheld)),
             Fact("Right holders contacted", Figure(m.get("holders"), "count", withheld))]
    return Section("matches", "Right holders contacted through matches", [], facts)


def _verifications(f: dict) -> Section | None:
    v = f.get("verifications")
    if v is None:  # reports made before schema 4
        return None
    columns = [Column("requests", "Requests"), Column("answered", "Answered"),
               Column("in_time", "Within the deadline"),
               Column("in_time_rate", "Within the deadline, of answered", "percent"),
               Column("median_days", "Median days to answer", "days"),
               Column("counterfeit_rate", "Answered counterfeit", "percent"),
               Column("overdue", "Overdue"), Column("holders", "Holders reached")]
    total = v["total"] | {"label": "Total"}
    note = ("Requests sent in the period from the cases the report counts. Within the "
            "deadline: answered on or before the last working day, in the sending "
            "country's time zone. Days from sending to the answer. Overdue: deadline before "
            f"{f['as_of']} and still waiting.")
    tables = [Table("verification_countries", "Verification requests by member state",
                    [Column("label", "Member state", "text"), *columns], v["countries"],
                    total, note),
              Table("verification_holders", "Verification requests by right holder",
                    [Column("label", "Right holder", "text", wrap=True), *columns],
                    v["holders"], total)]
    withheld = _withheld(v["total"])
    # A median or a share over too few answers is withheld ("c"); none at all is "–".
    few = withheld or bool(f.get("min_cell") and v["total"]["answered"])
    facts = [Fact("Requests sent", Figure(v["total"]["requests"], "count", withheld)),
             Fact("Answered within the deadline",
                  Figure(v["total"]["in_time"], "count", withheld)),
             Fact("Median days to answer",
                  Figure(v["total"]["median_days"], "days", few)),
             Fact("Answered counterfeit",
                  Figure(v["total"]["counterfeit_rate"], "percent", few)),
             Fact("Right holders reached", Figure(v["total"]["holders"], "count", withheld))]
    return Section("verifications", "Verification requests", tables, facts)


def _countries(f: dict) -> Section | None:
    if "by_country" not in f:
        return None
    rows = [r | {"suppressed": bool(r.get("suppressed"))} for r in f["by_country"]["rows"]]
    table = Table("by_country", "Member states",
                  [Column("label", "Member state", "text"), Column("opened", "Cases opened"),
                   Column("closed", "Cases closed"),
                   Column("seizure_items", "Seizure items"),
                   Column("value_usd", "Seizure value (USD)", "money")], rows)
    return Section("countries", "By member state", [table])


def headline_figures(f: dict) -> tuple[list[str], list[list[Figure]]]:
    """The main figures with both comparisons: column labels and rows of figures (a row's
    kind follows its unit, so the table's columns have none of their own)."""
    names = f.get("comparison", {})
    withheld = f.get("min_cell") is not None
    rows = []
    for h in f.get("headline", []):
        kind = {"count": "count", "days": "days"}.get(h["unit"], "money")
        label = h["label"] + ("" if h["unit"] in ("count", "days") else f" ({h['unit']})")
        rows.append([Figure(label, "text"), Figure(h["value"], kind, withheld),
                     Figure(h["previous"], kind, withheld),
                     Figure(h["change_previous"], "change"),
                     Figure(h["year_ago"], kind, withheld),
                     Figure(h["change_year_ago"], "change")])
    labels = ["Figure", f["period"]["label"], names.get("previous", {}).get("label", "Previous"),
              "Change", names.get("year_ago", {}).get("label", "Year earlier"), "Change"]
    return labels, rows


def headline_table(f: dict) -> Table:
    labels, rows = headline_figures(f)
    keys = ["label", "value", "previous", "change_previous", "year_ago", "change_year_ago"]
    return Table("headline", "Main figures",
                 [Column(k, label, "text") for k, label in zip(keys, labels, strict=True)],
                 [{k: fig.shown() for k, fig in zip(keys, row, strict=True)} for row in rows])


def sections(f: dict) -> list[Section]:
    out = [_cases(f), _seizures(f), _takedowns(f), _prosecutions(f), _referrals(f),
           _matches(f)]
    for extra in (_verifications(f), _countries(f)):
        if extra:
            out.append(extra)
    return out
