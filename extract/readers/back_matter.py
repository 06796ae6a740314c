"""Headings that open back matter: sections a reader drops with their prose.

Reference lists, declarations and publisher furniture state no results of the paper; read
as prose, a citation title ("Band gap of ZnO thin films ...") becomes a sentence lit takes
facts from, and the words count against the reader's body text. The HTML reader drops such
a section whole; the PDF reader keeps its heading (the paper's outline) and drops its prose.
"""

from __future__ import annotations

import re

_BACK_MATTER = re.compile(
    r"^\s*(\d+(\.\d+)*\.?\s*)?(notes and references|references( and notes)?|bibliography|literature cited|"
    r"funding( information| sources)?|"
    r"cited by|citing articles|recommended articles|related (content|articles)|article metrics|"
    r"footnotes?|author information|rights and permissions|about this article|additional information|"
    r"supplementary (information|material)|supporting information( available)?|associated content|"
    r"electronic supplementary information|conflicts? of interest|competing interests?|declaration of competing interest|"
    r"authors?['\u2019]? contributions?|data availability|abbreviations|keywords|ethics declarations|change history|"
    r"peer review( information)?|reprints and permissions|cite this article)\s*[.:]?\s*$",
    re.IGNORECASE,
)


def is_back_matter(heading: str) -> bool:
    """Whether ``heading`` opens a section whose prose no reader keeps."""
    return bool(_BACK_MATTER.match(heading))
