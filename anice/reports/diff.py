"""What changed between two versions of a report's figures, in words."""

from __future__ import annotations

# Fields that name a row of a table, in the order they are joined into its label.
ROW_KEYS = ("direction", "from", "to", "category", "unit", "platform", "action", "country",
            "right", "brand", "month", "key")
SKIPPED = frozenset({"headline", "summary", "comparison", "schema"})
LIMIT = 200


def _row_id(row: dict, index: int) -> str:
    parts = [str(row[k]) for k in ROW_KEYS if row.get(k) not in (None, "")]
    return "/".join(parts) if parts else str(index)


def flatten(value, path: str = "") -> dict[str, object]:
    """{"seizures.rows[footwear/pairs].value_usd": "1200.00", ...} for every leaf."""
    out: dict[str, object] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            if not path and key in SKIPPED:
                continue
            out.update(flatten(item, f"{path}.{key}" if path else key))
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for index, item in enumerate(value):
            out.update(flatten(item, f"{path}[{_row_id(item, index)}]"))
    else:
        out[path] = value
    return out


def label(path: str) -> str:
    """"seizures.rows[footwear/pairs].value_usd" -> "Seizures › footwear/pairs › value usd"."""
    words = path.replace("[", ".").replace("]", "").split(".")
    return " › ".join(w.replace("_", " ").capitalize() if i == 0 else w.replace("_", " ")
                      for i, w in enumerate(words) if w and w != "rows")


def changes(before: dict | None, after: dict) -> list[dict]:
    """Every figure that differs (added, removed or changed), at most LIMIT of them."""
    old, new = flatten(before or {}), flatten(after)
    out = []
    for path in sorted(set(old) | set(new)):
        if old.get(path) != new.get(path):
            out.append({"path": path, "label": label(path), "before": old.get(path),
                        "after": new.get(path)})
    return out[:LIMIT]
