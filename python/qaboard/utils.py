"""Small helpers QA-Board's `qaboard.utils` offers and entrypoints use."""
import itertools
import os
from typing import Any, Dict, Iterable, Optional


def merge(src: Dict, dest: Dict) -> Dict:
    """Deep-merge `src` into `dest` and return `dest`: `src` wins, nested dicts merge.

    As in QA-Board, a list value holding the string "super" gets the list it replaces spliced
    in at that place.
    """
    if not src:
        return dest
    for key, value in src.items():
        if isinstance(value, dict):
            node = dest.setdefault(key, {})
            if not isinstance(node, dict):
                node = dest[key] = {}
            merge(value, node)
            continue
        if isinstance(value, list) and "super" in value:
            previous = dest.get(key, [])
            value = list(itertools.chain.from_iterable(
                previous if item == "super" else [item] for item in value))
        dest[key] = value
    return dest


def getenvs(variables: Iterable[str], default: Optional[str] = None) -> Optional[str]:
    """Return the value of the first of `variables` that is set, else `default`."""
    for name in variables:
        if name in os.environ:
            return os.environ[name]
    return default


def jsonable(value: Any) -> Any:
    """Return `value` as plain JSON data, never failing.

    Dict keys become strings, tuples and sets lists, numpy-like scalars and arrays their Python
    values (`.item()`, `.tolist()`), NaN and infinities null (JSON has no such numbers), and
    anything else (a Path, an object) its `str()`.
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    for method in ("item", "tolist"):
        convert = getattr(value, method, None)
        if callable(convert):
            try:
                converted = convert()
            except Exception:  # a size-1-only .item() on a larger array, say
                continue
            if converted is not value:
                return jsonable(converted)
    return str(value)
