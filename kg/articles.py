"""Articles: YAML front matter and an HTML body, read into clean text.

An article file looks like the samples in ``data/articles/``: a front-matter
block (title, date, author, categories, image links) and an HTML body. Reading
keeps paragraph, heading and photo-caption boundaries (captions in full-width
parentheses often carry people's titles), drops markup and decodes entities.

``parse_article`` is pure (text in, ``Article`` out); ``read_article`` adds the
file: encoding detection and the file name that every error carries.

Bad input never raises anything but ``ArticleError`` (file name and reason),
and what can still be read is read, with a warning:

- an empty, binary or over-long file, a file with no front matter, with
  front matter that is not YAML or not a mapping, or a body with no text is
  an error;
- a GB18030 (GBK) or UTF-16 file, a UTF-8 file with a few broken bytes, a
  missing title or date, a date in an unknown format, and a plain-text body
  are warnings. A UTF-8 BOM and CRLF line ends are read silently.

Front matter is read with YAML 1.2 scalars: only ``null`` and ``~`` are
implicit, so ``date: 10:00`` is the text ``"10:00"`` (YAML 1.1 makes it the
number 600) and ``title: 2021`` stays text.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import functools
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.defaults import DEFAULTS
from kg.errors import ArticleError
from kg.records import fast_pickle
from kg.text import Sentence, split_sentences, xml_safe

__all__ = [
    "HEADLINE",
    "MAX_CHARS",
    "MAX_DEPTH",
    "MAX_TITLE_CHARS",
    "Article",
    "Paragraph",
    "decode",
    "html_to_paragraphs",
    "iter_article_paths",
    "load_front_matter",
    "parse_article",
    "parse_date",
    "read_article",
    "shown_name",
]

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")  # in any case: .TXT too
MAX_CHARS = DEFAULTS.max_chars
# A sentence is at most a few hundred characters; a run of text this long
# without a full stop is cut at a comma (or anywhere), so that extraction,
# whose cost grows faster than the length of a sentence, stays linear.
MAX_SENTENCE_CHARS = 2_000
# A headline is a line; a longer title is cut here (with a warning), since the
# title is extracted from like a sentence and shown with every fact it states.
MAX_TITLE_CHARS = 1_000
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
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200b\u202f\u205f\ufeff]+")
_CAPTION = re.compile(r"^[（(].*[）)]$", re.S)
_FENCE = re.compile(r"^-{3,}[ \t]*$", re.M)
_TAG = re.compile(r"<(?:[A-Za-z][\w:-]*[\s/>]|/[A-Za-z]|!--)")
# C0 and C1 controls other than tab, line feed, form feed and carriage return
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_SOFT_BREAKS = re.compile(r"[，,、：:\s]")
_ENDS = re.compile(r"[。！？!?；;]+[”’」』）)》\"']*")
_DATE_FORMATS = "ISO 8601 (2021-05-28), RFC 2822 (Fri, 28 May 2021 14:08:03 GMT) or 2021年5月28日"


@fast_pickle
@dataclass(frozen=True, slots=True)
class Paragraph:
    """A block of the body: ``kind`` is ``"p"``, ``"heading"`` or ``"caption"``."""

    kind: str
    start: int
    end: int


@fast_pickle
@dataclass(frozen=True, slots=True)
class Article:
    """One news article, read and cleaned.

    Attributes:
        path (str): the file name it was read from.
        key (str): a hash of the body text; the same article under two file
            names has one key.
        title (str): from the front matter (the file name when missing).
        date (str | None): ISO 8601 date or date-time.
        text (str): clean body text, one paragraph a line.
        paragraphs (tuple[Paragraph, ...]): blocks of ``text``.
        sentences (tuple[Sentence, ...]): sentences of ``text``.
        url (str | None): the article's address, when the front matter has one.
        warnings (tuple[str, ...]): problems that did not stop reading.
    """

    path: str
    key: str
    title: str
    date: str | None
    text: str
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]
    author: str | None = None
    categories: tuple[str, ...] = ()
    url: str | None = None
    warnings: tuple[str, ...] = field(default=())

    def sentence(self, index: int) -> Sentence:
        """The sentence a fact was read from: ``HEADLINE`` (-1) is the title,
        whose offsets are in the title, not in ``text``.

        >>> a = Article("a.txt", "k", "甲与乙签约", None, "", (), ())
        >>> a.sentence(HEADLINE)
        Sentence(index=-1, start=0, end=5, text='甲与乙签约')
        """
        if index == HEADLINE:
            return Sentence(HEADLINE, 0, len(self.title), self.title)
        return self.sentences[index]


HEADLINE = -1  # the sentence index of an article's title


def iter_article_paths(
    paths: list[Path],
    *,
    skip: Iterable[str | Path] = (),
    problems: list[tuple[str, str]] | None = None,
) -> list[Path]:
    """Expand files and folders into the article files they hold, sorted.

    Files named on their own are read whatever their suffix; in folders only
    ``.txt``, ``.md``, ``.html`` and ``.htm`` files are, in any case
    (``.TXT`` too).

    Args:
        paths (list[Path]): files and folders.
        skip (paths): folders not to look into (a build's output folder and
            cache, when they are inside an input folder).
        problems (list | None): receives ``(folder, reason)`` for each folder
            that cannot be read or was skipped; without it, a folder that
            cannot be read raises.

    Raises:
        ArticleError: when a path does not exist, a folder holds no article
            file, or (without ``problems``) a folder cannot be read.
    """
    skipped = {os.path.realpath(p) for p in skip}
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            inside = list(_walk(p, skipped, problems))
            if not inside:
                raise ArticleError(
                    str(p), f"no article files ({', '.join(ARTICLE_SUFFIXES)}) in this folder"
                )
            found.extend(inside)
        elif p.is_file():
            found.append(p)
        else:
            raise ArticleError(str(p), "no such file or folder")
    return sorted(set(found))


def _walk(top: Path, skipped: set[str], problems: list | None) -> Iterator[Path]:
    """The article files under ``top``; folders that cannot be read are reported."""

    def failed(e: OSError) -> None:
        reason = f"cannot read folder ({e.strerror or e}); its files are not read"
        if problems is None:
            raise ArticleError(str(e.filename), reason)
        problems.append((str(e.filename), reason))

    for folder, dirs, files in os.walk(top, onerror=failed, followlinks=True):
        for d in list(dirs):
            path = os.path.join(folder, d)
            if os.path.realpath(path) in skipped:
                dirs.remove(d)
                if problems is not None:
                    problems.append((path, "skipped: it holds this build's outputs or cache"))
        dirs.sort()
        for f in files:
            if os.path.splitext(f)[1].lower() in ARTICLE_SUFFIXES:
                path = Path(folder, f)
                if path.is_file():
                    yield path


def read_article(path: str | Path, max_chars: int | None = MAX_CHARS) -> Article:
    """Read one article file.

    Args:
        path (str | Path): the file.
        max_chars (int | None): the longest body text accepted (``None``: any).

    Raises:
        ArticleError: when the file is empty, binary, too long, or has no
            usable front matter or body. The message starts with the file name.
    """
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ArticleError(name, f"cannot read file ({e.strerror or e})") from None
    return read_article_bytes(data, name, max_chars)


def read_article_bytes(data: bytes, name: str, max_chars: int | None = MAX_CHARS) -> Article:
    """Read an article from the bytes of its file (see ``read_article``).

    A file name that is not valid UTF-8 (``os.fsdecode`` keeps its bad bytes
    as surrogates) is read as ``shown_name`` gives it, with a warning.
    """
    shown = shown_name(name)
    text, note = decode(data, shown)
    article = parse_article(text, shown, max_chars)
    notes = [note] if note else []
    if shown != name:
        notes.append("file name is not valid UTF-8; its bad bytes are shown as U+FFFD")
    if notes:
        article = replace(article, warnings=(*notes, *article.warnings))
    return article


def shown_name(name: str) -> str:
    """``name`` as it can be written out: bytes that were not UTF-8 become U+FFFD.

    Control characters stay (messages escape them with ``kg.errors.printable``;
    the graph drops those XML cannot hold).

    >>> import os
    >>> shown_name(os.fsdecode(b"bad\\xff.txt"))
    'bad�.txt'
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return name


def decode(data: bytes, name: str) -> tuple[str, str | None]:
    """Decode article bytes into text, with a note when the encoding was a guess.

    UTF-8 (with or without BOM) is read silently; UTF-16 with a BOM, GB18030
    (which includes GBK and GB2312) and UTF-8 with a few broken bytes are read
    with a note. Empty and binary files are errors.

    Args:
        data (bytes): the file's content.
        name (str): the file name, for messages.

    Returns:
        tuple[str, str | None]: the text and a note, or ``None``.

    Raises:
        ArticleError: the file is empty, binary, or in no encoding tried.

    >>> decode("甲".encode("gb18030"), "a.txt")
    ('甲', 'not UTF-8; read as GB18030')
    >>> decode(b"\\xef\\xbb\\xbf---", "a.txt")
    ('---', None)
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, note = data.decode("utf-16"), "UTF-16 file; read as UTF-16"
        except UnicodeDecodeError:
            raise ArticleError(name, "starts with a UTF-16 mark but is not UTF-16") from None
    elif b"\x00" in data:
        raise ArticleError(name, "binary file (contains NUL bytes), not an article")
    else:
        text, note = _decode_8bit(data, name)
    if not text.strip():
        raise ArticleError(name, "file is empty")
    controls = len(_CONTROL.findall(text[:100_000]))
    if controls * 100 > min(len(text), 100_000):
        raise ArticleError(name, "binary file (control characters), not an article")
    return text, note


def _decode_8bit(data: bytes, name: str) -> tuple[str, str | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few broken bytes (a file cut in the middle of a character)
    # is UTF-8; GBK read as UTF-8 breaks at about every other non-ASCII byte.
    lenient = data.decode("utf-8-sig", errors="replace")
    broken = lenient.count("\ufffd") - data.count("\ufffd".encode())
    high = len(data) - len(data.translate(None, bytes(range(0x80, 0x100))))
    if broken * 10 < high:
        s = "" if broken == 1 else "s"
        return lenient, f"not valid UTF-8 in {broken} place{s}; replaced by U+FFFD"
    try:
        return data.decode("gb18030"), "not UTF-8; read as GB18030"
    except UnicodeDecodeError:
        raise ArticleError(name, "not valid UTF-8 or GB18030 text") from None


@functools.cache
def _front_matter_loader():
    """A YAML loader whose only implicit scalar types are null and merge keys."""
    import yaml

    keep = ("tag:yaml.org,2002:null", "tag:yaml.org,2002:merge")
    resolvers = {}
    for first, pairs in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [(tag, rx) for tag, rx in pairs if tag in keep]
        if kept:
            resolvers[first] = kept
    return type("FrontMatterLoader", (yaml.SafeLoader,), {"yaml_implicit_resolvers": resolvers})


def load_front_matter(text: str, name: str = "<string>", first_line: int = 1) -> dict:
    """Load a front-matter block as a mapping whose values are text.

    Unquoted values stay text, unlike YAML 1.1, which turns ``10:00`` into
    600 and ``2021-05-28`` into a date; only ``null``, ``~`` and an empty
    value are ``None``.

    Args:
        text (str): the YAML between the two ``---`` lines.
        name (str): the file name, for messages.
        first_line (int): the line of the file that is the block's first line.

    Raises:
        ArticleError: the block is not valid YAML, or not a mapping.

    >>> load_front_matter("title: 2021\\ndate: 10:00\\ntags: [a, ~]")
    {'title': '2021', 'date': '10:00', 'tags': ['a', None]}
    """
    import yaml

    try:
        meta = yaml.load(text, Loader=_front_matter_loader())  # noqa: S506 (a SafeLoader)
    except yaml.MarkedYAMLError as e:

        def at(what: str | None, mark) -> str:
            return f"{what} on line {mark.line + first_line}" if mark else str(what)

        what = at(e.problem or type(e).__name__, e.problem_mark)
        if e.context and e.context_mark and e.context_mark.line != e.problem_mark.line:
            what = f"{at(e.context, e.context_mark)}: {what}"
        raise ArticleError(name, f"front matter is not valid YAML ({what})") from None
    except Exception as e:  # explicit tags (!!int x, !!timestamp x) raise plain errors
        what = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise ArticleError(name, f"front matter is not valid YAML ({what})") from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise ArticleError(name, f"front matter is not a mapping (it is a {_yaml_kind(meta)})")
    return meta


def _yaml_kind(value: object) -> str:
    return "list" if isinstance(value, list) else "single value"


def split_front_matter(text: str, name: str = "<string>") -> tuple[str, int, str]:
    """Split a file's text into its front-matter block, the line it starts on, and the body.

    The block starts on the line of the opening ``---`` (its first line is the
    empty rest of that line), so a YAML error's line plus that number is the
    line of the file.

    Raises:
        ArticleError: the text does not start with a ``---`` line, or the block
            is not closed by a second one.

    >>> split_front_matter("---\\ntitle: T\\n---\\n<p>x</p>")
    ('\\ntitle: T\\n', 1, '<p>x</p>')
    """
    stripped = text.lstrip()
    opening = _FENCE.match(stripped)
    if opening is None:
        raise ArticleError(name, "no front matter (the file must start with a '---' block)")
    closing = _FENCE.search(stripped, opening.end())
    if closing is None:
        raise ArticleError(name, "front matter is not closed (no second '---' line)")
    first_line = text[: len(text) - len(stripped)].count("\n") + 1
    body = stripped[closing.end() :].removeprefix("\n")
    return stripped[opening.end() : closing.start()], first_line, body


def parse_article(
    text: str,
    name: str = "<string>",
    max_chars: int | None = MAX_CHARS,
    *,
    max_depth: int | None = MAX_DEPTH,
    max_title_chars: int = MAX_TITLE_CHARS,
) -> Article:
    """Parse the text of an article file into an ``Article``.

    Args:
        text (str): the file's content.
        name (str): the file name, used in messages and provenance.
        max_chars (int | None): the longest body text accepted (``None``: any).
        max_depth (int | None): the deepest nesting of HTML elements accepted,
            checked before the body is parsed (``None``: any).
        max_title_chars (int): a longer title is cut to this, with a warning.

    Raises:
        ArticleError: no front matter, broken YAML, a body without text or
            longer than ``max_chars``, markup nested deeper than ``max_depth``.

    >>> a = parse_article("---\\ntitle: 'T'\\ndate: 2021-05-28\\n---\\n<p>甲&amp;乙。</p>", "a.txt")
    >>> (a.title, a.date, a.text)
    ('T', '2021-05-28', '甲&乙。')
    """
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ArticleError(name, "text is not valid Unicode (unpaired surrogates)") from None
    if "\x00" in text:
        raise ArticleError(name, "binary file (contains NUL characters), not an article")
    text = xml_safe(text)  # a stray control character would make XML exports malformed
    text = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    block, first_line, body = split_front_matter(text, name)
    meta = load_front_matter(block, name, first_line)
    if not meta:
        raise ArticleError(name, "front matter is empty (it needs at least 'title' and 'date')")
    warnings: list[str] = []
    title = _text_value(meta.get("title"))
    if not title:
        what = "is not text" if _is_container(meta.get("title")) else "has no 'title'"
        warnings.append(f"front matter {what}; using the file name")
        title = name
    if len(title) > max_title_chars:
        warnings.append(f"title is {len(title):,} characters; cut to {max_title_chars:,}")
        title = title[: max_title_chars - 1] + "…"
    date = None
    raw_date = meta.get("date")
    if raw_date is None or raw_date == "":
        warnings.append("front matter has no 'date'")
    else:
        date = parse_date(raw_date)
        if date is None:
            shown = _shorten(repr(raw_date)) if not _is_container(raw_date) else "a list or mapping"
            warnings.append(f"front matter 'date' is not a date: {shown} (use {_DATE_FORMATS})")
    if _TAG.search(body):
        if max_depth is not None:
            depth = html_depth(body, max_depth)
            if depth > max_depth:
                raise ArticleError(
                    name,
                    f"HTML elements are nested more than {max_depth} deep, which no article "
                    "needs (a generated or hostile page); not parsed",
                )
        paragraphs_text = html_to_paragraphs(body)
    else:
        paragraphs_text = _plain_paragraphs(body)
        if paragraphs_text:
            warnings.append("body is plain text, not HTML; each line is read as a paragraph")
    if not paragraphs_text:
        raise ArticleError(name, "body has no text")
    clean, paragraphs = _join(paragraphs_text)
    if max_chars is not None and len(clean) > max_chars:
        raise ArticleError(
            name,
            f"body text is {len(clean):,} characters, more than the {max_chars:,} an article "
            "may have (split the file, or raise the limit with --max-chars)",
        )
    spans = [span for p in paragraphs for span in _bounded(clean, p.start, p.end)]
    return Article(
        path=name,
        key=hashlib.sha256(clean.encode()).hexdigest()[:16],
        title=title,
        date=date,
        text=clean,
        paragraphs=tuple(paragraphs),
        sentences=tuple(split_sentences(clean, spans)),
        author=_text_value(meta.get("author")),
        categories=tuple(c for c in map(_text_value, _as_list(meta.get("categories"))) if c),
        url=_text_value(meta.get("url") or meta.get("link") or meta.get("source")),
        warnings=tuple(warnings),
    )


def parse_date(value: object) -> str | None:
    """Turn a front-matter date into ISO 8601, or ``None`` if it is not a date.

    >>> parse_date("Fri, 11 Jun 2021 06:52:00 GMT")
    '2021-06-11T06:52:00+00:00'
    >>> parse_date("2021年5月28日")
    '2021-05-28'
    >>> parse_date("2021年05月28日 14:08")
    '2021-05-28T14:08:00'
    >>> parse_date("10:00") is None, parse_date(600) is None
    (True, True)
    """
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 100 or not any(c.isdigit() for c in s):
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(s)
        if parsed is not None:
            return parsed.isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    for kind in (dt.date, dt.datetime):
        try:
            return kind.fromisoformat(s.replace("Z", "+00:00")).isoformat()
        except ValueError:
            pass
    m = re.fullmatch(
        r"(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?"
        r"(?:\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?",
        s,
    )
    if m:
        parts = [int(x) for x in m.groups() if x is not None]
        try:
            return (dt.datetime(*parts) if len(parts) > 3 else dt.date(*parts)).isoformat()
        except ValueError:
            return None
    return None


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
        text = _SPACES.sub(" ", "".join(buf)).strip()
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


def _bounded(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS):
    """Cut ``text[start:end]`` into spans of at most ``limit`` characters.

    A cut falls after the last full stop that leaves a span of ``limit`` or
    less, so no sentence is cut that fits; a longer one is cut at its last
    comma, or at the limit.

    >>> list(_bounded("甲。乙，丙丁戊", 0, 7, limit=3))
    [(0, 2), (2, 4), (4, 7)]
    >>> list(_bounded("甲乙丙丁戊", 0, 5, limit=2))
    [(0, 2), (2, 4), (4, 5)]
    """
    while end - start > limit:
        window = text[start : start + limit]
        # full stops (with their closing quotes) that end inside the window
        stops = [
            m.end() - start
            for m in (_ENDS.match(text, start + w.start()) for w in _ENDS.finditer(window))
            if m is not None and m.end() <= start + limit
        ] or [m.end() for m in _SOFT_BREAKS.finditer(window)]
        cut = start + (stops[-1] if stops else limit)
        yield start, cut
        start = cut
    yield start, end


def _plain_paragraphs(body: str) -> list[tuple[str, str]]:
    """Paragraphs of a body with no markup: one a line, entities left as written."""
    blocks = []
    for line in body.split("\n"):
        text = _SPACES.sub(" ", line).strip()
        if text:
            blocks.append(("caption" if _CAPTION.match(text) else "p", text))
    return blocks


def _join(blocks: list[tuple[str, str]]) -> tuple[str, list[Paragraph]]:
    parts, paragraphs, pos = [], [], 0
    for kind, text in blocks:
        paragraphs.append(Paragraph(kind, pos, pos + len(text)))
        parts.append(text)
        pos += len(text) + 1
    return "\n".join(parts), paragraphs


def _is_container(value: object) -> bool:
    return isinstance(value, list | tuple | dict | set)


def _text_value(value: object) -> str | None:
    """A front-matter scalar as text; ``None`` for nothing or a list or mapping.

    Values the loader typed through an explicit tag (``!!int``,
    ``!!timestamp``) become text again.
    """
    if value is None or _is_container(value):
        return None
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return _SPACES.sub(" ", xml_safe(str(value))).strip() or None


def _shorten(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _as_list(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def sentences_of(article: Article) -> tuple[Sentence, ...]:
    """The article's sentences (a convenience for notebooks)."""
    return article.sentences
