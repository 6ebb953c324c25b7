"""Articles: YAML front matter and an HTML body, read into clean text.

An article file looks like the samples in ``data/articles/``: a front-matter
block (title, date, author, categories, image links) and an HTML body. Reading
keeps paragraph, heading and photo-caption boundaries (captions in full-width
parentheses often carry people's titles), drops markup and decodes entities.

``parse_article`` is pure (text in, ``Article`` out); ``read_article`` adds the
file: encoding detection and the file name that every error carries.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import ArticleError
from kg.text import Sentence, split_sentences

__all__ = ["Article", "Paragraph", "iter_article_paths", "parse_article", "read_article"]

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")

_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol figcaption figure blockquote section article "
    "header footer table tr td th pre br hr dd dt dl main aside nav".split()
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "-comment"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200b\u202f\u205f\ufeff]+")
_CAPTION = re.compile(r"^[（(].*[）)]$", re.S)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A block of the body: ``kind`` is ``"p"``, ``"heading"`` or ``"caption"``."""

    kind: str
    start: int
    end: int


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


def iter_article_paths(paths: list[Path]) -> list[Path]:
    """Expand files and folders into the article files they hold, sorted.

    Raises:
        ArticleError: when a path does not exist.
    """
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found.extend(
                f for f in sorted(p.rglob("*")) if f.is_file() and f.suffix in ARTICLE_SUFFIXES
            )
        elif p.is_file():
            found.append(p)
        else:
            raise ArticleError(str(p), "no such file or folder")
    return sorted(set(found))


def read_article(path: str | Path) -> Article:
    """Read one article file.

    Raises:
        ArticleError: when the file is empty, binary, or has no usable front
            matter or body. The message starts with the file name.
    """
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ArticleError(name, f"cannot read file ({e.strerror})") from None
    text, note = decode(data, name)
    article = parse_article(text, name)
    if note:
        article = _with_warning(article, note)
    return article


def decode(data: bytes, name: str) -> tuple[str, str | None]:
    """Decode article bytes: UTF-8 (with or without BOM), else GB18030 with a note."""
    if not data.strip():
        raise ArticleError(name, "file is empty")
    if b"\x00" in data:
        raise ArticleError(name, "binary file (contains NUL bytes), not an article")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "not UTF-8; read as GB18030"
    except UnicodeDecodeError:
        raise ArticleError(name, "not valid UTF-8 or GB18030 text") from None


def parse_article(text: str, name: str = "<string>") -> Article:
    """Parse the text of an article file into an ``Article``.

    Args:
        text (str): the file's content.
        name (str): the file name, used in messages and provenance.

    Raises:
        ArticleError: no front matter, broken YAML, or a body without text.

    >>> a = parse_article("---\\ntitle: 'T'\\ndate: 2021-05-28\\n---\\n<p>甲&amp;乙。</p>", "a.txt")
    >>> (a.title, a.date, a.text)
    ('T', '2021-05-28', '甲&乙。')
    """
    import frontmatter
    import yaml

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.lstrip().startswith("---"):
        raise ArticleError(name, "no front matter (the file must start with a '---' block)")
    try:
        meta, body = frontmatter.parse(text.lstrip())
    except yaml.YAMLError as e:
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise ArticleError(name, f"front matter is not valid YAML ({reason})") from None
    if not isinstance(meta, dict) or not meta:
        raise ArticleError(name, "front matter is empty or not a mapping")
    warnings: list[str] = []
    title = _text_value(meta.get("title"))
    if not title:
        warnings.append("front matter has no 'title'; using the file name")
        title = name
    date = None
    if meta.get("date") in (None, ""):
        warnings.append("front matter has no 'date'")
    else:
        date = parse_date(meta["date"])
        if date is None:
            warnings.append(f"front matter 'date' is not a date: {meta['date']!r}")
    paragraphs_text = html_to_paragraphs(body)
    if not paragraphs_text:
        raise ArticleError(name, "body has no text")
    clean, paragraphs = _join(paragraphs_text)
    spans = [(p.start, p.end) for p in paragraphs]
    return Article(
        path=name,
        key=hashlib.sha256(clean.encode()).hexdigest()[:16],
        title=title,
        date=date,
        text=clean,
        paragraphs=tuple(paragraphs),
        sentences=tuple(split_sentences(clean, spans)),
        author=_text_value(meta.get("author")),
        categories=tuple(_text_value(c) for c in _as_list(meta.get("categories")) if c),
        url=_text_value(meta.get("url") or meta.get("link") or meta.get("source")),
        warnings=tuple(warnings),
    )


def parse_date(value: object) -> str | None:
    """Turn a front-matter date into ISO 8601, or ``None`` if it is not a date.

    >>> parse_date("Fri, 11 Jun 2021 06:52:00 GMT")
    '2021-06-11T06:52:00+00:00'
    >>> parse_date("2021年5月28日")
    '2021-05-28'
    >>> parse_date("10:00") is None
    True
    """
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    s = value.strip()
    try:
        return dt.date.fromisoformat(s).isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(s).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?", s)
    if m:
        try:
            return dt.date(*map(int, m.groups())).isoformat()
        except ValueError:
            return None
    return None


def html_to_paragraphs(html: str) -> list[tuple[str, str]]:
    """Clean text blocks of an HTML body as ``(kind, text)`` pairs.

    Block elements end a paragraph, markup is dropped, entities are decoded
    and runs of white space become one space. A block in full-width (or
    ASCII) parentheses is a ``caption``; ``h1``–``h6`` are ``heading``.

    >>> html_to_paragraphs("<div><p>甲<b>乙</b></p><h2>标题</h2><p>（图注）</p></div>")
    [('p', '甲乙'), ('heading', '标题'), ('caption', '（图注）')]
    """
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    blocks: list[tuple[str, str]] = []
    buf: list[str] = []
    kind = ["p"]

    def flush() -> None:
        text = _SPACES.sub(" ", "".join(buf)).strip()
        buf.clear()
        if text:
            k = kind[0]
            if k == "p" and _CAPTION.match(text):
                k = "caption"
            blocks.append((k, text))
        kind[0] = "p"

    def walk(node) -> None:
        child = node.child
        while child is not None:
            tag = child.tag
            if tag == "-text":
                buf.append(child.text_content or "")
            elif tag in _SKIP_TAGS:
                pass
            elif tag in _BLOCK_TAGS:
                flush()
                if tag in _HEADINGS:
                    kind[0] = "heading"
                walk(child)
                flush()
            else:
                walk(child)
            child = child.next

    if root is not None:
        walk(root)
    flush()
    return blocks


def _join(blocks: list[tuple[str, str]]) -> tuple[str, list[Paragraph]]:
    parts, paragraphs, pos = [], [], 0
    for kind, text in blocks:
        paragraphs.append(Paragraph(kind, pos, pos + len(text)))
        parts.append(text)
        pos += len(text) + 1
    return "\n".join(parts), paragraphs


def _text_value(value: object) -> str | None:
    if value is None:
        return None
    return str(value).strip() or None


def _as_list(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _with_warning(article: Article, note: str) -> Article:
    from dataclasses import replace

    return replace(article, warnings=(*article.warnings, note))


def sentences_of(article: Article) -> tuple[Sentence, ...]:
    """The article's sentences (a convenience for notebooks)."""
    return article.sentences
