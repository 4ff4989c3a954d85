"""
The Vietnamese user guide (docs/user-guide.md), shown in the admin from the help menu. The guide is
plain Markdown of our own: headings, paragraphs, lists (- and 1.), **bold**, `code` and screenshots
(`![caption](img/guide/name.png)`, made by the browser tests, tests/e2e/test_roles.py) are all it uses,
so a few lines render it rather than a Markdown dependency.
"""

import re
from functools import cache

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

GUIDE = settings.BASE_DIR / "docs" / "user-guide.md"
#: The guide's screenshots, served to signed-in admin users by `qms.core.views.UserGuideImageView`.
IMAGES = GUIDE.parent / "img" / "guide"
#: A screenshot's name: lower case, digits and hyphens (nothing that could leave IMAGES).
IMAGE_NAME = r"[a-z0-9-]+"
_IMAGE = re.compile(rf"^!\[(.*)\]\(img/guide/({IMAGE_NAME})\.png\)$")

_INLINE = [(re.compile(r"\*\*(.+?)\*\*"), r"<strong>\1</strong>"), (re.compile(r"`(.+?)`"), r"<code>\1</code>")]


def _inline(text: str) -> str:
    html = escape(text)
    for pattern, replacement in _INLINE:
        html = pattern.sub(replacement, html)
    return html


@cache
def guide_html() -> tuple[str, str]:
    """(title, body HTML) of the guide: its first heading, and the rest."""
    title, blocks = "", []
    for block in re.split(r"\n\s*\n", GUIDE.read_text(encoding="utf-8").strip()):
        lines = block.splitlines()
        if lines[0].startswith("# "):
            title = lines[0][2:].strip()
        elif lines[0].startswith("### "):
            blocks.append(f'<h3 class="w-h3">{_inline(lines[0][4:].strip())}</h3>')
        elif lines[0].startswith("## "):
            blocks.append(f'<h2 class="w-h2">{_inline(lines[0][3:].strip())}</h2>')
        elif image := _IMAGE.match(block.strip()):
            caption, name = image.groups()
            src = reverse("user_guide_image", args=[name])
            blocks.append(
                f'<figure class="qms-guide-shot"><img src="{src}" alt="{escape(caption)}" width="1366" height="768" loading="lazy">'
                f"<figcaption>{_inline(caption)}</figcaption></figure>"
            )
        elif re.match(r"\d+\. ", lines[0]):
            items = re.split(r"\n\d+\. ", "\n" + block)[1:]
            blocks.append("<ol>" + "".join(f"<li>{_inline(' '.join(i.split()))}</li>" for i in items) + "</ol>")
        elif lines[0].startswith("- "):
            items = re.split(r"\n- ", "\n" + block)[1:]
            blocks.append("<ul>" + "".join(f"<li>{_inline(' '.join(i.split()))}</li>" for i in items) + "</ul>")
        else:
            blocks.append(f"<p>{_inline(' '.join(block.split()))}</p>")
    return title, mark_safe("\n".join(blocks))  # noqa: S308 (our own file, every text escaped above)
