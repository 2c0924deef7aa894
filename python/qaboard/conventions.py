"""Naming conventions of QA-Board that entrypoints import: `slugify`, `serialize_config`."""
import json
import re
from typing import Any, List, Optional


def slugify(text: str, maxlength: Optional[int] = 32) -> str:
    """Return `text` lowercased, cut to `maxlength - 1` characters, with every run of characters
    other than `0-9a-z.=` written as one `-`, without leading or trailing `-`."""
    slug = text.lower()
    if maxlength:
        slug = slug[:maxlength - 1]
    slug = re.sub(r"[^0-9a-z.=]+", "-", slug)
    return slug.strip("-")


def serialize_config(configurations: List[Any]) -> str:
    """Return configurations as QA-Board writes them in one string: joined with `:`, maps as
    JSON, `-` for none."""
    if not configurations:
        return "-"
    if isinstance(configurations, str):
        return configurations
    return ":".join(json.dumps(c, sort_keys=True) if isinstance(c, dict) else str(c)
                    for c in configurations)
