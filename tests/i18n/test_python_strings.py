"""No English text for people written straight into Python: a message a service raises
(``Invalid``, ``NotFound``, ``Conflict``, ``Forbidden``, ``Throttled``, also through
``flush_or_conflict``) or a view flashes must come from a catalog: ``gettext``/``ngettext``
where it is built, ``_l`` at import time, or a constant marked ``N_`` (passed by name; the
error handlers translate it). A literal, an f-string, or text glued with ``+``, ``%`` or
``.format`` fails here, with its file and line.

Only the message is checked: the first argument of ``Invalid`` (and of ``Fields.error``) is
the field's machine name, shown through ``field_label``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "anice"
WRAPPERS = {"gettext", "ngettext", "pgettext", "npgettext", "lazy_gettext", "lazy_ngettext",
            "_", "_l", "N_"}
# Errors whose message people read: the position of the message among the arguments.
RAISED = {"Invalid": 1, "NotFound": 0, "Conflict": 0, "Forbidden": 0, "Throttled": 0,
          "DomainError": 0, "BundleRefused": 1, "BadImage": 0}
CALLED = {"flash": 0, "flush_or_conflict": 1}
LOGGERS = {"log", "logger", "logging", "LOG"}
# Machine-only text, by "path:line-text" prefix; keep it empty unless truly needed.
ALLOWED: frozenset[str] = frozenset()


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_text(node: ast.expr | None) -> bool:
    """A message written in place: a string literal, an f-string, or one glued from pieces
    of which one is written in place (``"a" + b``, ``"a %s" % b``, ``"{}".format(b)``,
    ``x if c else "a"``). A call of a catalog function is never text in place."""
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(node.value.strip())
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.IfExp):
        return _is_text(node.body) or _is_text(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(_is_text(v) for v in node.values)
    if isinstance(node, ast.Call):
        name = _name(node.func)
        if name in WRAPPERS:
            return False
        if name == "format" and isinstance(node.func, ast.Attribute):
            return _is_text(node.func.value) or any(_is_text(a) for a in node.args)
        if name == "join" and isinstance(node.func, ast.Attribute):  # "; ".join(errors)
            return any(_is_text(a) for a in node.args)
    return False


def _argument(call: ast.Call, position: int, keyword: str = "message") -> ast.expr | None:
    if len(call.args) > position and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return None


def _many_messages(call: ast.Call) -> list[ast.expr]:
    """The messages of ``Invalid.many([("field", "message"), ...])`` written in place."""
    found = []
    for arg in call.args:
        if isinstance(arg, ast.List | ast.Tuple):
            for item in arg.elts:
                if isinstance(item, ast.Tuple) and len(item.elts) == 2:
                    found.append(item.elts[1])
    return found


def _problems(path: Path) -> list[str]:
    return _problems_in(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())


def _messages(node: ast.Call) -> list[ast.expr | None]:
    name = _name(node.func)
    if name in RAISED:
        return [_argument(node, RAISED[name])]
    if name in CALLED:
        return [_argument(node, CALLED[name])]
    if name == "many" and isinstance(node.func, ast.Attribute) \
            and _name(node.func.value) == "Invalid":
        return _many_messages(node)
    if (name == "error" and isinstance(node.func, ast.Attribute) and len(node.args) >= 2
            and _name(node.func.value) not in LOGGERS):
        # Fields.error(name, message); an import's result.error(line, field, message)
        return [node.args[2] if len(node.args) >= 3 else node.args[1]]
    return []


def _problems_in(source: str, rel: str) -> list[str]:
    tree = ast.parse(source, filename=rel)
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for message in _messages(node):
            if _is_text(message):
                where = f"{rel}:{message.lineno}"
                text = lines[message.lineno - 1].strip()
                if not any(f"{where}: {text}".startswith(a) for a in ALLOWED):
                    found.append(f"{where}: {text}")
    return found


def unwrapped() -> list[str]:
    """Every message for people written in place in anice/, as "file:line: source"."""
    found: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found += _problems(path)
    return found


def report(found: list[str]) -> str:
    return f"{len(found)} messages not through gettext/ngettext/_l/N_:\n" + "\n".join(found)


def test_no_message_for_people_is_written_in_place():
    found = unwrapped()
    assert found == [], report(found)  # also: python -m tests.i18n.test_python_strings


def _check_source(source: str) -> list[str]:
    return [p.split(": ", 1)[1] for p in _problems_in(source, "probe.py")]


def test_the_walk_finds_literals_and_accepts_catalog_calls():
    source = '''
raise Invalid("title", "is required")
raise Invalid("title", f"at most {n} characters")
raise NotFound("No such case.")
raise Conflict("Saved by " + name)
flash("Case saved.", "info")
flash(f"Case {ref} saved.")
raise Invalid.many([("title", "is required")])
flush_or_conflict(db, "Someone else saved it first.")
raise Invalid("title", gettext("is required"))
raise NotFound(NO_SUCH_CASE)
flash(gettext("Case %(ref)s saved.", ref=ref), "info")
flash(ngettext("%(num)s item", "%(num)s items", n))
raise Invalid("title", message)
raise Forbidden(_l("Not yours."))
f.error("title", "is required")
log.error("import failed", extra={"job": 1})
log.error("import %s failed", job)
'''
    assert _check_source(source) == [
        'raise Invalid("title", "is required")',
        'raise Invalid("title", f"at most {n} characters")',
        'raise NotFound("No such case.")',
        'raise Conflict("Saved by " + name)',
        'flash("Case saved.", "info")',
        'flash(f"Case {ref} saved.")',
        'raise Invalid.many([("title", "is required")])',
        'flush_or_conflict(db, "Someone else saved it first.")',
        'f.error("title", "is required")',
    ]


@pytest.mark.parametrize("module", ["anice/validation.py", "anice/errors.py",
                                    "anice/metrics.py", "anice/text/numbers.py",
                                    "anice/text/labels.py", "anice/text/check_digits.py",
                                    "anice/text/times.py"])
def test_this_branch_s_modules_are_wrapped(module):
    assert _problems(ROOT / module) == []


if __name__ == "__main__":
    print(report(unwrapped()))
