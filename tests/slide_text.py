"""What a slide says: the text of its text boxes and table cells, for the deck tests."""

from __future__ import annotations


def slide_texts(slide) -> str:
    """Every text of a slide, one box or cell a line."""
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(out)
