import pytest

from apps.core.widgets import RichTextarea


def test_rich_textarea_marks_the_textarea_for_the_editor_with_its_labels():
    rendered = RichTextarea(attrs={"rows": 5}).render("text", "<p>Hallo</p>")
    assert rendered.startswith("<textarea")
    assert ' data-richtext=""' in rendered
    assert 'data-richtext-toolbar="Opmaak"' in rendered
    assert 'data-richtext-bold="Vet"' in rendered
    assert 'data-richtext-undo="Ongedaan maken"' in rendered
    assert 'rows="5"' in rendered
    # The value stays the textarea's text: escaped, never markup in the page.
    assert "&lt;p&gt;Hallo&lt;/p&gt;</textarea>" in rendered


@pytest.mark.parametrize(
    "typed",
    [
        "<span>Tom &amp; Jerry</span>",
        "Tom & Jerry",
        "a < b en c > d",
        "<p>Een</p><p>Twee &lt;drie&gt;</p>",
        "<unknown>x</unknown> &amp;",
        "regel 1\nregel 2\n\nalinea 2",
        "<b>vet</b> & <i>cursief</i>",
    ],
)
def test_cleaning_rich_text_twice_changes_nothing(typed):
    """Forms clean rich text and services clean it again: the second pass must be a no-op,
    or "Tom &amp; Jerry" would reach readers as "Tom &amp;amp; Jerry"."""
    from apps.core.richtext import rich_text

    once = rich_text(typed)
    assert rich_text(once) == once
    assert "&amp;amp;" not in once
