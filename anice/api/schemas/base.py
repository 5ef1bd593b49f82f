"""What every API schema shares: closed objects, dates and times kept as sent."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

# Kept as the ISO strings the serialisers write (a re-parse would turn +00:00 into Z).
Day = Annotated[str, Field(json_schema_extra={"format": "date"})]
Moment = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
# Decimals travel as strings, never as floats (no rounding of money).
Decimal = Annotated[str, Field(json_schema_extra={"pattern": r"^-?[0-9]+(\.[0-9]+)?$"})]
Country2 = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
# Text a request must give: blank is refused, naming the field.
Text = Annotated[str, Field(min_length=1, pattern=r"\S")]


class Out(BaseModel):
    """A response object: every member present (null when empty), nothing undeclared."""

    model_config = ConfigDict(extra="forbid")


class In(BaseModel):
    """A request body as documented; the service validates it and names the field."""

    model_config = ConfigDict(extra="forbid")


def dump(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` checked against ``model`` and written as JSON: a response that does not
    match its schema fails here, in the tests, instead of reaching a client."""
    return model.model_validate(data).model_dump(mode="json", by_alias=True,
                                                 exclude_unset=True)


_lists: dict[type, TypeAdapter] = {}


def dump_list(model: type[BaseModel], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A list of ``model`` checked and written as JSON."""
    adapter = _lists.setdefault(model, TypeAdapter(list[model]))  # type: ignore[valid-type]
    return adapter.dump_python(adapter.validate_python(rows), mode="json", by_alias=True,
                               exclude_unset=True)
