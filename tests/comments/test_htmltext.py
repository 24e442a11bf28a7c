from bs4 import BeautifulSoup

from comments.htmltext import html_to_text


def test_script_style_and_head_dropped_with_contents():
    html = (
        "<html><head><title>T</title><style>p{color:red}</style></head>"
        "<body><p>Visible</p><script>alert('x')</script>"
        "<iframe>frame</iframe><form><input value=f>form text</form>"
        "<svg><text>svg</text></svg></body></html>"
    )
    assert html_to_text(html) == "Visible"


def test_unicode_and_entities_kept():
    assert (
        html_to_text("<p>Caf&eacute; na&iuml;ve &mdash; 日本</p>")
        == "Café naïve — 日本"
    )


def test_paragraphs_and_line_breaks_become_newlines():
    text = html_to_text("<p>One</p><p>Two<br>Three</p><div>Four</div>")
    assert text == "One\n\nTwo\nThree\n\nFour"


def test_javascript_link_keeps_text_only():
    text = html_to_text('<a href="javascript:alert(1)">click me</a>')
    assert text == "click me"
    assert "javascript" not in text


def test_data_link_is_dropped():
    assert "data:" not in html_to_text('<a href="data:text/html,x">x</a>')


def test_http_link_keeps_text_and_url():
    text = html_to_text('<a href="https://example.com/p">the post</a>')
    assert text == "the post (https://example.com/p)"


def test_link_whose_text_is_its_url_is_not_repeated():
    text = html_to_text('<a href="https://example.com/">https://example.com</a>')
    assert text == "https://example.com"


def test_gmail_quote_is_cut():
    html = (
        '<div dir="ltr">My reply</div><div class="gmail_quote">'
        "On Mon, X wrote:<blockquote>old text</blockquote></div>"
    )
    assert html_to_text(html) == "My reply"


def test_gmail_signature_is_cut():
    html = '<div>Reply</div><div class="gmail_signature">-- Bob, CEO</div>'
    assert html_to_text(html) == "Reply"


def test_thunderbird_cite_prefix_and_blockquote_cut():
    html = (
        "<p>Answer</p><div class=moz-cite-prefix>On 1/1 A wrote:</div>"
        '<blockquote type="cite">quoted</blockquote>'
    )
    assert html_to_text(html) == "Answer"


def test_outlook_reply_block_and_everything_after_cut():
    html = (
        "<div>New text</div><hr>"
        '<div id="divRplyFwdMsg"><b>From:</b> A<br><b>Sent:</b> B</div>'
        "<div>Old message</div>"
    )
    assert html_to_text(html) == "New text"


def test_message_that_is_only_a_quote_is_kept():
    assert html_to_text('<blockquote type="cite">only this</blockquote>') == "only this"


def test_escaped_markup_in_text_is_kept_as_the_readers_literal_text():
    # Stored as written; comments/rendering.py escapes it when shown.
    text = html_to_text("<p>&lt;script&gt;alert(1)&lt;/script&gt; and a&lt;b</p>")
    assert text == "<script>alert(1)</script> and a<b"


def test_angle_brackets_in_a_link_target_are_percent_encoded():
    text = html_to_text('<a href="https://example.com/<script>x">see</a>')
    assert text == "see (https://example.com/%3Cscript%3Ex)"


def test_list_items_are_bulleted():
    assert html_to_text("<ul><li>a</li><li>b</li></ul>") == "- a\n- b"


def test_broken_html_does_not_raise():
    text = html_to_text("<p><b>unclosed <i>tags <div")
    assert text.startswith("unclosed tags")
    assert BeautifulSoup(text, "html.parser").find_all(True) == []
