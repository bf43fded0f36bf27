"""Keep CITATION.cff in step with a release: version, date released and address.

Called by ``edition anchors --update`` (``make anchors``), the one command run when a release
is cut, so the file that tells people how to cite the edition never names an older version.
The file is edited line by line, so its comments and order stay as the editors wrote them.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

_KEYS = ("version", "date-released", "url")


def _quoted(value: str) -> str:
    return f'"{value}"' if re.search(r"[:#\s]|^\d", value) else value


def update_citation_cff(path: Path, version: str, released: _dt.date, url: str = "") -> dict[str, str]:
    """Set ``version``, ``date-released`` and (when known) ``url``; return what was written."""
    values = {"version": version, "date-released": released.isoformat()}
    if url:
        values["url"] = url
    lines = path.read_text("utf-8").splitlines()
    seen: set[str] = set()
    for i, line in enumerate(lines):
        match = re.match(r"^(?P<key>[a-z-]+):", line)
        if match and match["key"] in values:
            lines[i] = f"{match['key']}: {_quoted(values[match['key']])}"
            seen.add(match["key"])
    anchor = next((i for i, line in enumerate(lines) if line.startswith("version:")), len(lines) - 1)
    for key in _KEYS:
        if key in values and key not in seen:
            anchor += 1
            lines.insert(anchor, f"{key}: {_quoted(values[key])}")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return values
