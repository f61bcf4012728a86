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


def test_deeply_nested_html_is_refused_by_the_form_and_never_reaches_the_cleaner_whole():
    from django import forms

    from apps.core.richtext import MAX_DEPTH, RichTextField, nesting_depth, sanitise

    deep = "<ul><li>" * 5000 + "tekst" + "</li></ul>" * 5000
    assert nesting_depth(deep) == 5000  # <li> is closed by the next sibling: not counted
    field = RichTextField()
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(deep)
    assert refused.value.code == "too_deep"
    # The service's cleaning keeps the words as text instead of spending minutes on it.
    assert sanitise(deep) == "tekst"
    shallow = "<ul><li>" * (MAX_DEPTH // 2) + "x" + "</li></ul>" * (MAX_DEPTH // 2)
    assert "<li>" in field.clean(shallow)


def test_a_rich_text_field_has_a_length_limit():
    from django import forms

    from apps.core.richtext import MAX_RICH_TEXT, RichTextField

    with pytest.raises(forms.ValidationError):
        RichTextField().clean("x" * (MAX_RICH_TEXT + 1))
