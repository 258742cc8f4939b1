import re

from alphasierra.markdown import markdown_html


def test_it_renders_markdown():
    html = markdown_html("Montée en **téléphérique**\n\n- pique-nique\n- retour à 17 h")

    assert "<strong>téléphérique</strong>" in html
    assert "<li>pique-nique</li>" in html


def test_it_keeps_no_script_nor_event_nor_javascript_address():
    html = markdown_html(
        '<script>alert(1)</script> <img src=x onerror="alert(2)"> [lien](javascript:alert(3)) '
        '<a href="https://x.fr" onclick="alert(4)">a</a>'
    )

    assert "<script" not in html
    assert "<img" not in html
    assert not re.search(r"<[^>]*\bon\w+=", html)
    assert 'href="javascript' not in html


def test_links_leave_without_telling_where_from():
    html = markdown_html("[Programme](https://example.fr/programme.pdf)")

    assert '<a href="https://example.fr/programme.pdf" rel="noopener noreferrer nofollow">Programme</a>' in html


def test_headings_start_below_the_page_s_own():
    html = markdown_html("# Programme\n\n## Matin\n\n### Détail")

    assert "<h1" not in html
    assert "<h2" not in html
    assert html.count("<h3>") == 3


def test_no_image_from_elsewhere_is_loaded():
    assert "<img" not in markdown_html("![photo](https://tracker.example/pixel.png)")


def test_an_empty_description_is_empty():
    assert markdown_html("") == ""
