"""Characters no XML document can carry, so no e-book can show them: C0
controls but tab and newlines, lone surrogates (a YAML ``"\\ud800"`` escape
makes one), U+FFFE and U+FFFF. Chapters and book.yaml's values are refused
with them, before lxml or an encoder meets them deep in a build."""

from __future__ import annotations

import re

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
