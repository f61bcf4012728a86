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
