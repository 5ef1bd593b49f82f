"""Every internal value and field name shown in words has its words in the catalogs, so
``label`` and ``field_label`` can give them in the reader's language."""

from __future__ import annotations

import ast
import enum
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import anice.models
from anice.text import labels
from anice.text.numbers import NumberFormat

from .catalogs import template

ROOT = Path(__file__).resolve().parents[2]
# Fields.* readers and Invalid: their first argument is a field's machine name.
READERS = {"text", "choice", "choices", "day", "moment", "number", "url", "identifier",
           "integer_list", "country", "currency", "error", "raw"}
FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\[\])?")


def _enums() -> list[type[enum.Enum]]:
    found = []
    for info in pkgutil.iter_modules(anice.models.__path__):
        module = importlib.import_module(f"anice.models.{info.name}")
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, enum.Enum) \
                    and obj.__module__ == module.__name__:
                found.append(obj)
    return [*found, NumberFormat]


def _messages() -> set[str]:
    return {m.id for m in template() if isinstance(m.id, str)}


def test_every_enum_value_has_its_words_in_the_catalog():
    messages = _messages()
    missing = [f"{e.__name__}.{m.name}: {labels.word(m)!r}" for e in _enums() for m in e
               if str(m.value) not in labels.NAMES and labels.word(m) not in messages
               and e is not NumberFormat]
    assert missing == []


def _field_names() -> dict[str, str]:
    """Field names the code reads or refuses (``f.text("title")``, ``Invalid("title", ...)``),
    each with one place it is used."""
    names: dict[str, str] = {}
    for path in sorted((ROOT / "anice").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                continue
            func = node.func
            is_invalid = isinstance(func, ast.Name) and func.id == "Invalid"
            is_reader = isinstance(func, ast.Attribute) and func.attr in READERS \
                and not (isinstance(func.value, ast.Name) and func.value.id in ("log", "logger"))
            name = node.args[0].value
            if (is_invalid or is_reader) and FIELD_NAME.fullmatch(name):
                names.setdefault(name, f"{path.relative_to(ROOT)}:{node.lineno}")
    return names


def test_every_field_named_in_an_error_has_its_words():
    messages = _messages()
    missing = [f"{name} ({where})" for name, where in _field_names().items()
               if labels.field_word(name) not in messages]
    assert missing == []


def test_the_tables_are_marked_for_the_catalogs():
    messages = _messages()
    tables = [*labels.WORDS.values(), *labels.FIELDS.values(), *labels.BY_KIND.values()]
    assert [words for words in tables if words not in messages] == []
    assert not set(labels.NAMES.values()) & messages  # names are never translated
