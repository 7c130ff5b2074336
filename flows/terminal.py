"""Text from documents, file names and the warehouse made safe to print: control characters shown escaped."""

from __future__ import annotations

import re

_ALL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROLS_BUT_LAYOUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0, DEL and C1 (CSI 0x9B included); tab and newline lay out a table cell and are kept there."""


def _escaped(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]  # ESC -> \x1b, newline -> \n


def escape_controls(text: str, *, one_line: bool = False) -> str:
    """ESC and every other control character as a visible escape (\\x1b); one_line escapes \\n and \\t too."""
    return (_ALL_CONTROLS if one_line else _CONTROLS_BUT_LAYOUT).sub(_escaped, text)
