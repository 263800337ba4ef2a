"""Path and query parameters shared by the routes, with their limits."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

WsId = Annotated[int, Path(ge=0, le=2**53, description="workspace id")]
ObjectId = Annotated[int, Path(ge=0, le=2**53)]
PubKey = Annotated[
    str,
    Path(
        min_length=2,
        max_length=60,
        pattern=r"^[A-Za-z]{2}[A-Za-z0-9 .-]*$",
        description="a publication number in any spelling without '/': US-11532378-B2, US11532378B2",
    ),
]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10**9)]
UserRef = Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
