"""The API's routes, by area; each is thin: parse the request, call the monitor or landscape library."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def out(model: type[M], obj: Any) -> M:
    return model.model_validate(obj, from_attributes=True)


def out_list(model: type[M], objs: Iterable[Any]) -> list[M]:
    return [out(model, o) for o in objs]
