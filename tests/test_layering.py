"""The package map holds: the import contracts of pyproject.toml ([tool.importlinter]) are
kept, and no new loose module appears at the top of anice/."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The platform modules every feature may use; a feature's code goes in its package.
TOP_LEVEL = {
    "__init__", "audit", "audit_keys", "cli", "config", "db", "errors", "extensions", "forms",
    "health", "logs", "main", "metrics", "policy", "request", "submissions", "validation",
    "web",
}


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
    for contract in ("anice never imports workers", "No import cycles between the packages",
                     "Views and the API are imported only by the app factory"):
        assert f"{contract}" in done.stdout.replace("\n", " ").replace("  ", " ")


def test_no_new_loose_module_at_the_top_of_anice():
    modules = {p.stem for p in (ROOT / "anice").glob("*.py")}
    assert modules - TOP_LEVEL == set(), "put a feature's module in its package"


# --- imports inside functions ---------------------------------------------------------------

# Where an import may stay inside a function, and how many (issue 15: 215 -> 30). Each one
# says why beside it: the app factory (importing any module of anice imports the package
# first), a real cycle, or a heavy dependency loaded only when used. Hoist anything new.
IN_FUNCTION_IMPORTS = {
    "anice/__init__.py": 28,  # create_app: blueprints, subscribers, metrics, the CLI
    "anice/evidence/service.py": 3,  # cycles: referrals.service and evidence.derived
    "anice/reports/export.py": 2,  # openpyxl, only for an XLSX download
    "anice/storage/__init__.py": 1,  # boto3, only where S3 is configured
}


def _imports_in_functions(tree: ast.AST) -> int:
    inner = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inner |= {id(sub) for sub in ast.walk(node)
                      if isinstance(sub, ast.Import | ast.ImportFrom)}
    return len(inner)


def test_imports_inside_functions_do_not_grow():
    found = {}
    for path in sorted((ROOT / "anice").rglob("*.py")):
        count = _imports_in_functions(ast.parse(path.read_text()))
        if count:
            found[path.relative_to(ROOT).as_posix()] = count
    grown = {f: n for f, n in found.items() if n > IN_FUNCTION_IMPORTS.get(f, 0)}
    assert not grown, (f"imports inside functions in {grown}: put them at the top of the "
                       f"module (allowed only in {sorted(IN_FUNCTION_IMPORTS)}, with a reason)")


# --- what views import -------------------------------------------------------------------------

# Views and the API import: their own package, the platform, policy, and other features'
# service modules only; never another feature's internals (its runtime, storage, exporters).
PLATFORM = ("anice.db", "anice.policy", "anice.errors", "anice.forms", "anice.web",
            "anice.validation", "anice.extensions", "anice.submissions", "anice.models",
            "anice.text")
# The public service API of each feature (functions taking the actor and checking policy).
SERVICES = {
    "anice.admin.service", "anice.auth.service",
    "anice.auth.tokens",  # the API authenticates bearer tokens
    "anice.cases.service", "anice.cases.items", "anice.cases.workflow",
    "anice.correlation.service",
    "anice.holders.service", "anice.holders.alerts",
    "anice.holders.material", "anice.holders.guides",  # what holders keep for officers
    "anice.holders.files",  # the sealed images and documents of guides and recordations
    "anice.evidence.service",
    "anice.evidence.transfer",  # the streamed-upload page helpers shared by upload pages
    "anice.imports.service",
    "anice.imports.web",  # receiving an import file: the web side of import jobs
    "anice.mywork", "anice.notifications",  # packages whose __init__ is the service
    "anice.referrals.service", "anice.referrals.requests", "anice.referrals.sharing",
    "anice.reports.service",
    "anice.rights.service", "anice.rights.editing", "anice.rights.match_service",
    "anice.rights.case_matching", "anice.rights.history", "anice.rights.provenance",
    "anice.verification.service", "anice.verification.holidays",
    "anice.verification.uploads",  # the streamed answer upload shared by page and API
}
# Imports of views that break the rule today, each with its reason; remove a line when fixed.
VIEW_EXCEPTIONS: set[tuple[str, str]] = set()


def _view_modules() -> list[Path]:
    anice = ROOT / "anice"
    return sorted(set(anice.glob("*/views.py")) | set(anice.glob("*/*_views.py"))
                  | set(anice.glob("api/*.py")) | {anice / "main.py"})


def _imported(module: str, tree: ast.AST) -> set[str]:
    """Every anice module ``module`` imports (``from x import y``: x.y when y is a module)."""
    package = module.rsplit(".", 1)[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                full = f"{base}.{alias.name}"
                names.add(full if (ROOT / (full.replace(".", "/") + ".py")).exists()
                          or (ROOT / full.replace(".", "/")).is_dir() else base)
    return {n for n in names if n == "anice" or n.startswith("anice.")}


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def view_violations() -> set[tuple[str, str]]:
    found = set()
    for path in _view_modules():
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        own = module.rsplit(".", 1)[0] if module != "anice.main" else "anice.mywork"
        for name in _imported(module, ast.parse(path.read_text())):
            if name == "anice" or _within(name, own) \
                    or any(_within(name, p) for p in PLATFORM) \
                    or any(_within(name, s) for s in SERVICES):
                continue
            found.add((module, name))
    return found


def test_views_import_services_and_policy_only():
    broken = view_violations() - VIEW_EXCEPTIONS
    assert not broken, (f"views/API import another feature's internals: {sorted(broken)}; "
                        "go through that feature's service (see SERVICES)")
    stale = VIEW_EXCEPTIONS - view_violations()
    assert not stale, f"fixed, remove from VIEW_EXCEPTIONS: {sorted(stale)}"


def test_views_import_no_private_name_of_another_module():
    private = []
    for path in _view_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                private += [f"{path.name}: {node.module}.{a.name}" for a in node.names
                            if a.name.startswith("_") and a.name != "__version__"]
    assert not private, f"make these public or keep them in their module: {private}"
