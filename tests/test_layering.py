"""The package map holds: the import contracts of pyproject.toml ([tool.importlinter]) are
kept, and no new loose module appears at the top of anice/."""

from __future__ import annotations

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
