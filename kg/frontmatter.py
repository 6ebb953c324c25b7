"""Front matter: the YAML block at the top of an article file, and its dates.

``split_front_matter`` finds the block, ``load_front_matter`` reads it with
YAML 1.2 scalars: only ``null`` and ``~`` are implicit, so ``date: 10:00`` is
the text ``"10:00"`` (YAML 1.1 makes it the number 600) and ``title: 2021``
stays text. ``read_fields`` takes what an ``Article`` needs from it, with a
warning for a missing title or date, or a date in an unknown format
(``parse_date``).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import re
from dataclasses import dataclass

from kg.errors import ArticleError
from kg.text import collapse_spaces, shorten, xml_safe

__all__ = [
    "DATE_FORMATS",
    "FrontMatter",
    "load_front_matter",
    "parse_date",
    "read_fields",
    "split_front_matter",
]

_FENCE = re.compile(r"^-{3,}[ \t]*$", re.M)
DATE_FORMATS = "ISO 8601 (2021-05-28), RFC 2822 (Fri, 28 May 2021 14:08:03 GMT) or 2021年5月28日"
"""The date formats ``parse_date`` reads, as a warning names them."""


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """What an article takes from its front matter (see ``read_fields``)."""

    title: str
    date: str | None
    author: str | None
    categories: tuple[str, ...]
    url: str | None
    warnings: tuple[str, ...]


def read_fields(meta: dict, name: str, max_title_chars: int) -> FrontMatter:
    """The title, date, author, categories and address of a loaded front matter.

    A missing title becomes the file name and a title longer than
    ``max_title_chars`` is cut, each with a warning; a missing date, or one
    that ``parse_date`` cannot read, is ``None`` with a warning.

    Args:
        meta (dict): the front matter, from ``load_front_matter``.
        name (str): the file name.
        max_title_chars (int): the longest title kept whole.

    >>> f = read_fields({"date": "2021年5月28日", "categories": ["医疗", 5]}, "a.txt", 100)
    >>> f.title, f.date, f.categories, f.warnings
    ('a.txt', '2021-05-28', ('医疗', '5'), ("front matter has no 'title'; using the file name",))
    """
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
            shown = shorten(repr(raw_date)) if not _is_container(raw_date) else "a list or mapping"
            warnings.append(f"front matter 'date' is not a date: {shown} (use {DATE_FORMATS})")
    return FrontMatter(
        title=title,
        date=date,
        author=_text_value(meta.get("author")),
        categories=tuple(c for c in map(_text_value, _as_list(meta.get("categories"))) if c),
        url=_text_value(meta.get("url") or meta.get("link") or meta.get("source")),
        warnings=tuple(warnings),
    )


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
    return collapse_spaces(xml_safe(str(value))) or None


def _as_list(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
