"""Every public predicate of anice.policy has rows in the table (tests/policy/test_*.py).

A row names the predicate: ``policy.name(...)`` or the name as a string a row passes to
``getattr(policy, ...)``. Read from the table files' syntax, so it holds whichever rows
``-k`` selects and in whatever order the files run.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from anice import policy

TABLE = Path(__file__).parent


def public_predicates(module=policy) -> set[str]:
    """The functions defined in ``module`` whose names do not start with an underscore."""
    return {name for name, value in inspect.getmembers(module, inspect.isfunction)
            if value.__module__ == module.__name__ and not name.startswith("_")}


def named_in_rows(folder: Path = TABLE) -> set[str]:
    """Names the table files ask policy about: ``policy.x`` and string constants."""
    named: set[str] = set()
    for path in sorted(folder.glob("test_*.py")):
        if path.name == Path(__file__).name:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id == "policy"):
                named.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                named.add(node.value)
    return named


def without_rows(module=policy, folder: Path = TABLE) -> list[str]:
    return sorted(public_predicates(module) - named_in_rows(folder))


def test_every_public_predicate_has_rows():
    missing = without_rows()
    assert not missing, f"predicates of anice.policy with no row in tests/policy/: {missing}"


def test_a_new_predicate_without_rows_is_caught():
    """The check itself: policy with one more public function and no row for it fails."""
    fake = type(policy)("anice.policy")
    fake.__package__ = "anice"
    name = "can_do_anything_no_row_names"
    source = inspect.getsource(policy) + f"\n\ndef {name}(actor):\n    return True\n"
    exec(compile(source, policy.__file__, "exec"), fake.__dict__)
    assert name in without_rows(fake) and name not in public_predicates(policy)
    assert "can_view_case" in public_predicates(fake)
    assert "_usable" not in public_predicates(fake)
