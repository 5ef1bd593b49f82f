"""axe-core on the page in the browser: serious and critical violations fail the test."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

FAILING_IMPACTS = ("serious", "critical")
_axe = Axe()


def violations(page) -> list[dict]:
    return _axe.run(page).response["violations"]


def describe(found: list[dict]) -> str:
    lines = []
    for v in found:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {node['html'][:160]} -- {summary}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Run axe on the page as it is now; fail on any serious or critical violation."""
    bad = [v for v in violations(page) if v["impact"] in FAILING_IMPACTS]
    assert not bad, f"axe found problems on {page.url}:\n{describe(bad)}"
