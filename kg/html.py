"""An article's HTML body to clean text blocks.

``html_to_paragraphs`` keeps paragraph, heading and photo-caption boundaries
(captions in full-width parentheses often carry people's titles), drops markup
and decodes entities. ``body_paragraphs`` also reads a body with no markup, a
paragraph a line, and refuses markup nested deeper than any page needs
(``html_depth``) before it is parsed.
"""

from __future__ import annotations

import re

from kg.errors import ArticleError
from kg.text import collapse_spaces

__all__ = ["MAX_DEPTH", "body_paragraphs", "html_depth", "html_to_paragraphs"]

# Real pages nest a few dozen elements deep. The HTML parser's work per tag
# grows with the depth (200,000 nested <div>s took minutes), so markup nested
# deeper than this is refused before it is parsed.
MAX_DEPTH = 256

_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol figcaption figure blockquote section article "
    "header footer table tr td th pre br hr dd dt dl main aside nav".split()
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "-comment"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CAPTION = re.compile(r"^[（(].*[）)]$", re.S)
_TAG = re.compile(r"<(?:[A-Za-z][\w:-]*[\s/>]|/[A-Za-z]|!--)")


def body_paragraphs(
    body: str, name: str, max_depth: int | None = MAX_DEPTH
) -> tuple[list[tuple[str, str]], str | None]:
    """The text blocks of an article's body, as ``(kind, text)`` pairs, and a
    warning when the body is plain text rather than HTML.

    Args:
        body (str): what follows the front matter.
        name (str): the file name, for messages.
        max_depth (int | None): the deepest nesting of elements accepted,
            checked before the body is parsed (``None``: any).

    Raises:
        ArticleError: the markup is nested deeper than ``max_depth``.

    >>> body_paragraphs("<p>甲。</p>", "a.txt")
    ([('p', '甲。')], None)
    >>> body_paragraphs("甲。\\n（图注）", "a.txt")[0]
    [('p', '甲。'), ('caption', '（图注）')]
    """
    if not _TAG.search(body):
        blocks = _plain_paragraphs(body)
        note = "body is plain text, not HTML; each line is read as a paragraph"
        return blocks, note if blocks else None
    if max_depth is not None and html_depth(body, max_depth) > max_depth:
        raise ArticleError(
            name,
            f"HTML elements are nested more than {max_depth} deep, which no article "
            "needs (a generated or hostile page); not parsed",
        )
    return html_to_paragraphs(body), None


def html_to_paragraphs(html: str) -> list[tuple[str, str]]:
    """Clean text blocks of an HTML body as ``(kind, text)`` pairs.

    Block elements end a paragraph, markup is dropped, entities are decoded
    and runs of white space become one space. A block in full-width (or
    ASCII) parentheses is a ``caption``; ``h1``–``h6`` are ``heading``. The
    tree is walked without recursion, so deeply nested markup cannot
    exhaust the stack.

    >>> html_to_paragraphs("<div><p>甲<b>乙</b></p><h2>标题</h2><p>（图注）</p></div>")
    [('p', '甲乙'), ('heading', '标题'), ('caption', '（图注）')]
    """
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    blocks: list[tuple[str, str]] = []
    buf: list[str] = []
    kind = "p"

    def flush(k: str) -> None:
        text = collapse_spaces("".join(buf))
        buf.clear()
        if text:
            blocks.append(("caption" if k == "p" and _CAPTION.match(text) else k, text))

    # A stack of nodes to visit, last first; None marks the end of a block.
    todo: list = list(reversed(_children(root))) if root is not None else []
    while todo:
        node = todo.pop()
        if node is None:
            flush(kind)
            kind = "p"
            continue
        tag = node.tag
        if tag == "-text":
            buf.append(node.text_content or "")
            continue
        if tag in _SKIP_TAGS:
            continue
        if tag in _BLOCK_TAGS:
            flush(kind)
            kind = "heading" if tag in _HEADINGS else "p"
            todo.append(None)
        todo.extend(reversed(_children(node)))
    flush(kind)
    return blocks


_VOID = frozenset(
    "area base basefont bgsound br col embed frame hr img input keygen link meta param "
    "source track wbr".split()
)
_RAW = frozenset("script style textarea title xmp iframe noembed noframes".split())
_CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section "
    "summary table ul li dd dt".split()
)
# an unclosed element that the start of the key ends, when it is the current one
_ENDED_BY = {
    "li": ("li",),
    "dd": ("dd", "dt"),
    "dt": ("dd", "dt"),
    "td": ("td", "th"),
    "th": ("td", "th"),
    "tr": ("td", "th", "tr"),
    "option": ("option",),
}
# an end tag does not reach past these to close what it names
_SCOPES = frozenset("table td th caption template object marquee applet".split())
_HTML_TOKEN = re.compile(r"<(/?)([A-Za-z][^\s/>]*)|<!--")


def html_depth(html: str, limit: int = MAX_DEPTH) -> int:
    """How deep elements nest in ``html``, read in one pass, stopping past ``limit``.

    An estimate from the tags alone, meant never to fall below the depth an
    HTML parser reaches: void elements do not nest; an end tag closes what it
    names when that is among the few innermost open elements and inside the
    same table cell (else it is ignored); an open ``<p>`` is closed by a block
    and an unclosed ``<li>``, ``<td>`` … by the next when it is the current
    element. Comments and the content of ``<script>``, ``<style>`` and the
    like are skipped.

    >>> html_depth("<div><p>a<p>b<ul><li>c<li>d</ul></div><br>")
    3
    >>> html_depth("<div>" * 1000, limit=10)
    11
    """
    stack: list[str] = []
    deepest, pos = 0, 0
    lower = html.lower()
    while deepest <= limit:
        m = _HTML_TOKEN.search(html, pos)
        if m is None:
            break
        pos = m.end()
        if m.group(0) == "<!--":
            end = html.find("-->", pos)
            pos = len(html) if end < 0 else end + 3
            continue
        tag = m.group(2).lower()
        if m.group(1):  # an end tag
            for i in range(len(stack) - 1, max(len(stack) - 16, 0) - 1, -1):
                if stack[i] == tag:
                    del stack[i:]
                    break
                if stack[i] in _SCOPES:
                    break
            continue
        if tag in _VOID:
            continue
        if tag in _RAW:
            end = lower.find(f"</{tag}", pos)
            pos = len(html) if end < 0 else end
            continue
        if stack and stack[-1] == "p" and tag in _CLOSES_P:
            stack.pop()
        for ended in _ENDED_BY.get(tag, ()):
            if stack and stack[-1] == ended:
                stack.pop()
        stack.append(tag)
        deepest = max(deepest, len(stack))
    return deepest


def _children(node) -> list:
    out = []
    child = node.child
    while child is not None:
        out.append(child)
        child = child.next
    return out


def _plain_paragraphs(body: str) -> list[tuple[str, str]]:
    """Paragraphs of a body with no markup: one a line, entities left as written."""
    blocks = []
    for line in body.split("\n"):
        text = collapse_spaces(line)
        if text:
            blocks.append(("caption" if _CAPTION.match(text) else "p", text))
    return blocks
