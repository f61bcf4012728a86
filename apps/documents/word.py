"""Any printable document as a Word file, for staff who paste it into the municipality's own
template.

One converter for every document: it renders the document's print HTML (the same template
and context as the PDF) and maps it to plain Word: headings to the Heading styles, paragraphs
(bold, italic and links kept as text), lists to List Bullet / List Number, tables to Word
tables with their header row, SDG badges to "SDG 4 ..." text, and the cover to a title block.
What only a printed page needs is left out: the running footer, the PDF's table of contents
(page numbers), charts drawn in SVG (their table of values follows them), styles. A template
marks anything else print-only with the class ``print-only``.

The input is our own sanitised HTML; the parser still stops at a fixed number of elements and
a fixed depth, so no input can make the work unbounded.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from . import registry
from .pdf import BASE_URL

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Bounds: far above any real document (the demo plan book is a few thousand elements).
MAX_ELEMENTS = 200_000
MAX_DEPTH = 200
MAX_TABLE_CELLS = 50_000

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Never in the Word file: page furniture, drawings, scripts and styles.
SKIP_TAGS = {"head", "style", "script", "svg", "nav", "template", "title", "noscript", "img"}
SKIP_CLASSES = {"page-footer", "toc", "print-only", "proposal-end", "chart"}
INLINE = {"a", "abbr", "b", "cite", "code", "em", "i", "q", "s", "small", "span", "strong"}
INLINE |= {"sub", "sup", "time", "u", "mark", "br", "bdi", "bdo", "data", "var", "kbd"}
BOLD = {"b", "strong", "th"}
ITALIC = {"em", "i", "cite", "q"}
HEADINGS = {f"h{n}": n for n in range(1, 7)}
_SPACE = re.compile(r"\s+")


class TooLarge(ValueError):
    """The HTML holds more elements, or deeper nesting, than any document of ours."""


@dataclass
class Node:
    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)  # Node or str

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        """All the text inside, whitespace collapsed."""
        parts: list[str] = []
        stack: list = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                parts.append(item)
            elif not _skipped(item):
                if item.tag == "br":
                    parts.append(" ")
                stack.extend(reversed(item.children))
        return _SPACE.sub(" ", "".join(parts)).strip()


def _skipped(node: Node) -> bool:
    return node.tag in SKIP_TAGS or bool(node.classes & SKIP_CLASSES)


class _TreeBuilder(HTMLParser):
    """A small element tree of the HTML; forgiving of a missing end tag, as browsers are."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]
        self.count = 0

    def handle_starttag(self, tag, attrs):
        self.count += 1
        if self.count > MAX_ELEMENTS or len(self.stack) > MAX_DEPTH:
            raise TooLarge(tag)
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _find(node: Node, predicate) -> Node | None:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Node):
            if predicate(item):
                return item
            stack.extend(reversed(item.children))
    return None


class _Writer:
    """Walks the tree and writes the Word document."""

    def __init__(self, document, *, heading_shift: int):
        self.doc = document
        self.heading_shift = heading_shift
        self._style_ids: dict[str, str] = {}
        self.in_cell = False

    def add(self, container, text: str = "", style: str | None = None):
        """A new paragraph. The style is set by its id, looked up once per name: python-docx
        looks a style name up anew (and compares it with the default style) per paragraph."""
        paragraph = container.add_paragraph(text)
        if style:
            if style not in self._style_ids:
                self._style_ids[style] = self.doc.styles[style].style_id
            paragraph._p.get_or_add_pPr().style = self._style_ids[style]
        return paragraph

    # --- blocks ----------------------------------------------------------------------------

    def blocks(self, node: Node, container=None) -> None:
        """Write the children of ``node``: runs of inline content become one paragraph."""
        container = container if container is not None else self.doc
        pending: list = []
        for child in node.children:
            if isinstance(child, str) or (child.tag in INLINE and not _skipped(child)):
                pending.append(child)
                continue
            self._flush(pending, container)
            pending = []
            if not _skipped(child):
                self.block(child, container)
        self._flush(pending, container)

    def _flush(self, inline: list, container, style: str | None = None) -> None:
        if not any(_has_text(item) for item in inline):
            return
        paragraph = self.add(container, style=style)
        self.runs(inline, paragraph)

    def block(self, node: Node, container) -> None:
        tag = node.tag
        if "cover" in node.classes and tag == "section":
            self.cover(node)
        elif tag in HEADINGS and self.in_cell:  # a quadrant's title: no chapter of the text
            self.paragraph(node, container, None, bold=True)
        elif tag in HEADINGS:
            level = min(9, max(1, HEADINGS[tag] - self.heading_shift))
            self.paragraph(node, container, f"Heading {level}")
        elif tag == "p" or tag in {"figcaption", "dt", "dd", "caption", "blockquote"}:
            self.paragraph(node, container, None, bold=tag == "dt")
        elif tag in {"ul", "ol"}:
            if "sdg-tags" in node.classes:
                self.sdg_tags(node, container)
            else:
                self.list_items(node, container, depth=1)
        elif tag == "table":
            self.table(node, container)
        else:  # section, article, div, header, figure, dl, body, html...
            self.blocks(node, container)

    def paragraph(self, node: Node, container, style: str | None, *, bold: bool = False):
        """A block of text: its inline content as one paragraph, blocks inside on their own."""
        if any(
            isinstance(c, Node) and c.tag not in INLINE and not _skipped(c) for c in node.children
        ):
            self.blocks(node, container)
            return
        if not node.text():
            return
        paragraph = self.add(container, style=style)
        self.runs(node.children, paragraph, bold=bold)

    def sdg_tags(self, node: Node, container) -> None:
        """The SDG badges as one line of text: "SDG's: SDG 4 Kwaliteitsonderwijs · SDG 17 ..."."""
        tags = [
            item.text() for item in node.children if isinstance(item, Node) and item.tag == "li"
        ]
        tags = [tag for tag in tags if tag]
        if tags:
            label = node.attrs.get("aria-label") or "SDG's"
            self.add(container, f"{label}: {' · '.join(tags)}")

    def list_items(self, node: Node, container, *, depth: int) -> None:
        numbered = node.tag == "ol"
        style = ("List Number" if numbered else "List Bullet") + (f" {depth}" if depth > 1 else "")
        num_id = None
        for item in node.children:
            if not isinstance(item, Node) or item.tag != "li" or _skipped(item):
                continue
            inline, nested = [], []
            for child in item.children:
                if isinstance(child, Node) and child.tag in {"ul", "ol"}:
                    nested.append(child)
                elif isinstance(child, Node) and child.tag not in INLINE:
                    inline.extend([" ", child, " "])
                else:
                    inline.append(child)
            if any(_has_text(part) for part in inline):
                paragraph = self.add(container, style=style)
                self.runs(inline, paragraph)
                if numbered:
                    num_id = self._number(paragraph, style, num_id)
            for sublist in nested:
                self.list_items(sublist, container, depth=min(depth + 1, 3))

    def _number(self, paragraph, style: str, num_id: int | None) -> int:
        """Every numbered list starts at 1: its own numbering instance of the style's list."""
        if num_id is None:
            numbering = self.doc.part.numbering_part.numbering_definitions._numbering
            style_num = self.doc.styles[style].element.pPr.numPr.numId.val
            abstract = numbering.num_having_numId(style_num).abstractNumId.val
            num = numbering.add_num(abstract)
            num.add_lvlOverride(ilvl=0).add_startOverride(1)
            num_id = num.numId
        paragraph._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = num_id
        return num_id

    def table(self, node: Node, container) -> None:
        caption = next(
            (c for c in node.children if isinstance(c, Node) and c.tag == "caption"), None
        )
        if caption is not None and caption.text():
            self.add(container, caption.text(), style="Caption")
        rows: list[tuple[Node, bool]] = []
        for part in node.children:
            if not isinstance(part, Node):
                continue
            if part.tag == "tr":
                rows.append((part, False))
            elif part.tag in {"thead", "tbody", "tfoot"}:
                rows.extend(
                    (row, part.tag == "thead")
                    for row in part.children
                    if isinstance(row, Node) and row.tag == "tr"
                )
        grid = _grid(rows)
        if not grid.cells:
            return
        if grid.width * grid.height > MAX_TABLE_CELLS:
            raise TooLarge("table")
        table = container.add_table(rows=grid.height, cols=grid.width)
        table.style = "Table Grid"
        # The cells are looked up once: python-docx's table.cell() walks the whole table.
        cells = table._cells
        spans = []
        for (row, column), (cell, row_span, col_span) in grid.cells.items():
            self.cell(cell, cells[row * grid.width + column])
            if row_span > 1 or col_span > 1:
                spans.append((row, column, row + row_span - 1, column + col_span - 1))
        # Merged last, when every cell is written: the spans never overlap (grid()).
        for top, left, bottom, right in spans:
            cells[top * grid.width + left].merge(cells[bottom * grid.width + right])
        for index in range(grid.header_rows):
            _repeat_header(table.rows[index])

    def cell(self, node: Node, word_cell) -> None:
        """A table cell: its text in the cell's paragraph; a cell holding blocks (the SWOT's
        title and list) gets them as paragraphs of its own."""
        if not any(_is_block(child) for child in node.children):
            self.runs(node.children, word_cell.paragraphs[0], bold=node.tag == "th")
            return
        self.in_cell = True
        try:
            self.blocks(node, word_cell)
        finally:
            self.in_cell = False
        first, *rest = word_cell.paragraphs
        if rest and not first.text:
            first._p.getparent().remove(first._p)

    def cover(self, node: Node) -> None:
        """The cover as a title block: kicker, municipality, title, period, facts, footer."""
        for child in node.children:
            if not isinstance(child, Node) or _skipped(child):
                continue
            classes = child.classes
            if "cover-title" in classes:
                self.add(self.doc, child.text(), style="Title")
            elif "cover-period" in classes or "cover-municipality" in classes:
                if child.text():
                    self.add(self.doc, child.text(), style="Subtitle")
            elif child.tag == "dl":
                self.facts(child)
            elif child.text():
                self.add(self.doc, child.text())

    def facts(self, node: Node) -> None:
        term = None
        for child in node.children:
            if not isinstance(child, Node):
                continue
            if child.tag == "dt":
                term = child.text()
            elif child.tag == "dd":
                paragraph = self.add(self.doc)
                if term:
                    paragraph.add_run(f"{term}: ").bold = True
                paragraph.add_run(child.text())
                term = None

    # --- inline ----------------------------------------------------------------------------

    def runs(self, items, paragraph, *, bold=False, italic=False, top=True) -> None:
        """Inline content as runs: bold and italic kept, a link as its words, whitespace as
        HTML collapses it (no paragraph starts or ends with a space)."""
        for item in items:
            if isinstance(item, str):
                text = _SPACE.sub(" ", item)
                if not paragraph.text or paragraph.text.endswith(" "):
                    text = text.lstrip()
                if text:
                    run = paragraph.add_run(text)
                    run.bold = bold or None
                    run.italic = italic or None
            elif _skipped(item):
                continue
            elif item.tag == "br":
                paragraph.add_run().add_break()
            else:
                self.runs(
                    item.children,
                    paragraph,
                    bold=bold or item.tag in BOLD,
                    italic=italic or item.tag in ITALIC,
                    top=False,
                )
        if top:
            for run in reversed(paragraph.runs):
                stripped = run.text.rstrip(" ")
                if stripped != run.text:
                    run.text = stripped
                if stripped:
                    break


def _is_block(item) -> bool:
    return isinstance(item, Node) and item.tag not in INLINE and not _skipped(item)


def _has_text(item) -> bool:
    if isinstance(item, str):
        return bool(item.strip())
    return not _skipped(item) and bool(item.text())


@dataclass
class _Grid:
    cells: dict = field(default_factory=dict)  # (row, column) -> (node, row span, col span)
    width: int = 0
    height: int = 0
    header_rows: int = 0


def _span(node: Node, name: str, limit: int) -> int:
    try:
        return max(1, min(limit, int(node.attrs.get(name) or 1)))
    except ValueError:
        return 1


def _grid(rows: list[tuple[Node, bool]]) -> _Grid:
    """Place every cell as HTML does: cells spanning rows keep their place in the rows below."""
    grid = _Grid()
    taken: set[tuple[int, int]] = set()
    for row_index, (row, is_header) in enumerate(rows):
        column = 0
        for cell in row.children:
            if not isinstance(cell, Node) or cell.tag not in {"td", "th"}:
                continue
            while (row_index, column) in taken:
                column += 1
            row_span = _span(cell, "rowspan", len(rows) - row_index)
            col_span = _span(cell, "colspan", 100)
            grid.cells[(row_index, column)] = (cell, row_span, col_span)
            for r in range(row_index, row_index + row_span):
                for c in range(column, column + col_span):
                    taken.add((r, c))
            column += col_span
        if is_header and row_index == grid.header_rows:
            grid.header_rows += 1
    grid.height = len(rows)
    grid.width = max((c + 1 for _r, c in taken), default=0)
    return grid


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def _aware(value) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.now()


def html_to_docx(html: str, *, title: str = "", author: str = "", created=None, modified=None):
    """The Word document (python-docx ``Document``) of print HTML."""
    from docx import Document

    root = parse(html)
    body = _find(root, lambda node: node.tag == "body") or root
    # A document's own chapters are h2 under the cover's h1: they become Heading 1 unless
    # the body has h1 headings of its own (the plan book's parts).
    has_own_h1 = _find(body, lambda n: n.tag == "h1" and "cover-title" not in n.classes)
    document = Document()
    _Writer(document, heading_shift=0 if has_own_h1 else 1).blocks(body)
    properties = document.core_properties
    properties.title = title[:255]
    properties.author = author[:255]
    properties.last_modified_by = author[:255]
    properties.language = settings.LANGUAGE_CODE
    properties.created = _aware(created)
    properties.modified = _aware(modified or created)
    return document


def render_docx(document: registry.PrintDocument) -> bytes:
    """The DOCX bytes of a printable document: the print HTML, as the PDF is made from it."""
    context = document.context
    html = render_to_string(document.template_name, {**context, "print_base_url": BASE_URL})
    municipality = context.get("municipality")
    word = html_to_docx(
        html,
        title=str(context.get("document_title") or ""),
        author=getattr(municipality, "name", "") or "",
        created=context.get("document_created"),
        modified=context.get("document_modified") or context.get("last_changed"),
    )
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


__all__ = ["DOCX_CONTENT_TYPE", "TooLarge", "html_to_docx", "parse", "render_docx"]
