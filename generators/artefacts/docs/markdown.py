"""A small, safe Markdown to HTML renderer for text we publish server-side (release notes, the no-script page).

It knows the subset our own writers use (``version --write`` release notes, API descriptions): ATX headings,
paragraphs, bullet and numbered lists, fenced code, block quotes, pipe tables, code spans, strong and
emphasis, links and autolinks. Everything else is text. Raw HTML is never passed through: every character of
the input reaches the output escaped, entity references (``&amp;``) are decoded first and escaped again, and
a link keeps its target only when it is a web, mail or relative URL (no ``javascript:``).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})\s*([^`\s]*)")
_BULLET = re.compile(r"^[ ]{0,3}[-*+][ \t]+(.*)$")
_ORDERED = re.compile(r"^[ ]{0,3}(\d{1,9})[.)][ \t]+(.*)$")
_QUOTE = re.compile(r"^[ ]{0,3}>[ ]?(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")
_RULE = re.compile(r"^[ ]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
_INLINE = re.compile(
    r"(?P<code>`+)"
    r"|(?P<escape>\\[!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])"
    r"|(?P<auto><(?:https?://|mailto:)[^\s<>]+>)"
    r"|(?P<link>\[(?P<text>(?:[^\[\]\\]|\\.){1,1000})\]\((?P<url>[^()\s]{0,2000})(?:\s+\"[^\"]{0,300}\")?\))"
    r"|(?P<strong>\*\*(?=\S)(?P<strong_text>(?s:.+?))(?<=\S)\*\*|__(?=\S)(?P<strong_text2>(?s:.+?))(?<=\S)__)"
    r"|(?P<em>\*(?=[^\s*])(?P<em_text>[^*]+?)(?<=\S)\*|(?<![A-Za-z0-9])_(?=[^\s_])(?P<em_text2>[^_]+?)(?<=\S)_(?![A-Za-z0-9]))"
)
_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")
_MAX_NESTING = 8


def render(markdown: str) -> str:
    """The HTML of ``markdown`` (block elements separated by newlines)."""
    return "\n".join(_blocks(markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 0))


def inline(text: str, depth: int = 0) -> str:
    """Inline Markdown of one block's text as escaped HTML."""
    out: list[str] = []
    pos = 0
    while pos < len(text):
        match = _INLINE.search(text, pos)
        if match is None:
            break
        start = match.start()
        if match.group("code"):
            ticks = match.group("code")
            end = text.find(ticks, match.end())
            while end != -1 and text.startswith("`", end + len(ticks)):  # a longer run does not close it
                end = text.find(ticks, end + len(ticks) + 1)
            if end == -1:
                out.append(_text(text[pos : match.end()]))
                pos = match.end()
                continue
            code = text[match.end() : end].replace("\n", " ")
            if code.startswith(" ") and code.endswith(" ") and code.strip():
                code = code[1:-1]
            out.append(_text(text[pos:start]) + f"<code>{html.escape(code)}</code>")
            pos = end + len(ticks)
            continue
        out.append(_text(text[pos:start]))
        pos = match.end()
        if match.group("escape"):
            out.append(html.escape(match.group("escape")[1]))
        elif match.group("auto"):
            url = match.group("auto")[1:-1]
            out.append(f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
        elif match.group("link"):
            label = inline(match.group("text"), depth + 1) if depth < _MAX_NESTING else _text(match.group("text"))
            url = match.group("url")
            if safe_url(url):
                out.append(f'<a href="{html.escape(url)}">{label}</a>')
            else:
                out.append(label)
        elif match.group("strong"):
            inner = match.group("strong_text") or match.group("strong_text2") or ""
            out.append(f"<strong>{_nested(inner, depth)}</strong>")
        else:
            inner = match.group("em_text") or match.group("em_text2") or ""
            out.append(f"<em>{_nested(inner, depth)}</em>")
    out.append(_text(text[pos:]))
    return "".join(out)


def safe_url(url: str) -> bool:
    """A web (http/https), mail or relative URL: the only link targets we write into HTML."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return False
    return scheme in ("", "http", "https", "mailto") and not url.lstrip().lower().startswith("//")


def slug(text: str) -> str:
    """An id for an anchor: lower-case ASCII letters, digits and hyphens."""
    return _SLUG_UNSAFE.sub("-", text.lower()).strip("-") or "section"


def _nested(text: str, depth: int) -> str:
    return inline(text, depth + 1) if depth < _MAX_NESTING else _text(text)


def _text(text: str) -> str:
    return html.escape(html.unescape(text), quote=False) if text else ""


def _blocks(lines: list[str], depth: int) -> list[str]:
    out: list[str] = []
    i = 0
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append("<p>" + inline("\n".join(s.strip() for s in paragraph)) + "</p>")
            paragraph.clear()

    while i < len(lines):
        line = lines[i]
        if not line.strip():
            flush()
            i += 1
            continue
        fence = _FENCE.match(line)
        if fence:
            flush()
            marker = fence.group(1)
            body: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(marker):
                body.append(lines[i])
                i += 1
            i += 1
            lang = re.sub(r"[^A-Za-z0-9_+-]", "", fence.group(2))
            attr = f' class="language-{lang}"' if lang else ""
            out.append(f"<pre><code{attr}>" + html.escape("\n".join(body)) + "</code></pre>")
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            level = len(heading.group(1))
            out.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
            i += 1
            continue
        if _RULE.match(line):
            flush()
            out.append("<hr>")
            i += 1
            continue
        if _QUOTE.match(line) and depth < _MAX_NESTING:
            flush()
            quoted: list[str] = []
            while i < len(lines) and (match := _QUOTE.match(lines[i])):
                quoted.append(match.group(1))
                i += 1
            out.append("<blockquote>\n" + "\n".join(_blocks(quoted, depth + 1)) + "\n</blockquote>")
            continue
        if (_BULLET.match(line) or _ORDERED.match(line)) and not paragraph:
            i = _list(lines, i, out, depth)
            continue
        if "|" in line and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]) and not paragraph:
            i = _table(lines, i, out)
            continue
        paragraph.append(line)
        i += 1
    flush()
    return out


def _list(lines: list[str], i: int, out: list[str], depth: int) -> int:
    ordered = _ORDERED.match(lines[i]) is not None
    pattern = _ORDERED if ordered else _BULLET
    items: list[list[str]] = []
    start = _ORDERED.match(lines[i]).group(1) if ordered else "1"  # type: ignore[union-attr]
    while i < len(lines):
        line = lines[i]
        match = pattern.match(line)
        if match:
            items.append([match.group(2) if ordered else match.group(1)])
        elif line.strip() and items and (line.startswith((" ", "\t")) or not _starts_block(line)):
            items[-1].append(
                line.strip() if not line.startswith((" ", "\t")) else line[min(len(line) - len(line.lstrip()), 4) :]
            )
        elif (
            not line.strip()
            and i + 1 < len(lines)
            and (lines[i + 1].startswith(("  ", "\t")) or pattern.match(lines[i + 1]))
        ):
            if items:
                items[-1].append("")
        else:
            break
        i += 1
    tag = "ol" if ordered else "ul"
    attr = f' start="{int(start)}"' if ordered and int(start) != 1 else ""
    rendered = []
    for item in items:
        blocks = _blocks(item, depth + 1) if depth < _MAX_NESTING else [inline(" ".join(item))]
        if len(blocks) == 1 and blocks[0].startswith("<p>") and blocks[0].endswith("</p>"):
            blocks = [blocks[0][3:-4]]
        rendered.append("<li>" + "\n".join(blocks) + "</li>")
    out.append(f"<{tag}{attr}>\n" + "\n".join(rendered) + f"\n</{tag}>")
    return i


def _starts_block(line: str) -> bool:
    return bool(
        _HEADING.match(line) or _FENCE.match(line) or _QUOTE.match(line) or _BULLET.match(line) or _ORDERED.match(line)
    )


def _cells(line: str) -> list[str]:
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append("\\" + char if char != "|" else "|")
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    cells.append("".join(current).strip())
    return cells


def _table(lines: list[str], i: int, out: list[str]) -> int:
    head = _cells(lines[i])
    i += 2
    rows: list[list[str]] = []
    while i < len(lines) and lines[i].strip() and "|" in lines[i]:
        rows.append(_cells(lines[i]))
        i += 1
    parts = ["<table>", "<thead><tr>" + "".join(f"<th>{inline(c)}</th>" for c in head) + "</tr></thead>", "<tbody>"]
    for row in rows:
        cells = (row + [""] * len(head))[: len(head)]
        parts.append("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in cells) + "</tr>")
    parts.append("</tbody>")
    parts.append("</table>")
    out.append("\n".join(parts))
    return i
