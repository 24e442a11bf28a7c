"""Code keeps its shape: fenced and indented blocks, inline backticks.

Through the one rendering function, and end to end by the form and by email: what a
visitor sees on the article page once an editor has published the comment.
"""

import pytest
from bs4 import BeautifulSoup

from comments.mail.pipeline import ingest_raw_email
from comments.models import Comment
from comments.rendering import render_comment
from moderation import transitions as t
from tests.comments.mail.messages import email_bytes
from tests.factories import make_article

PYTHON = 'def greet(name):\n    if name < "n":\n        return f"<{name}>"\n'


def code_blocks(html: str) -> list[str]:
    """The text of each <pre><code> block, as a browser shows it."""
    soup = BeautifulSoup(html, "html5lib")
    return [pre.code.get_text() for pre in soup.select("pre") if pre.code]


def inline_code(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html5lib")
    return [code.get_text() for code in soup.select("p code")]


def test_fenced_block_becomes_preformatted_code_with_its_indentation():
    html = render_comment(f"Try this:\n\n```python\n{PYTHON}```\n\nWorks for me.")

    assert code_blocks(html) == [PYTHON]
    assert html.startswith("<p>Try this:</p><pre><code>")
    assert html.endswith("<p>Works for me.</p>")


def test_indented_block_becomes_preformatted_code():
    indented = "".join("    " + line + "\n" for line in PYTHON.splitlines())

    html = render_comment(f"Try this:\n\n{indented}\nWorks for me.")

    assert code_blocks(html) == [PYTHON]


def test_inline_backticks_become_code():
    html = render_comment("Run `pip install -r requirements.lock` then ``a `b` c``.")

    assert inline_code(html) == ["pip install -r requirements.lock", "a `b` c"]


def test_markup_inside_code_is_shown_as_typed():
    typed = "</code></pre><script>alert(1)</script> &lt; &amp; \"'"

    html = render_comment(f"```\n{typed}\n```\n\nand `{typed}`")

    assert code_blocks(html) == [typed + "\n"]
    assert inline_code(html) == [typed]
    assert "<script" not in html


def test_url_inside_code_is_not_linked_but_one_outside_is():
    html = render_comment(
        "See https://example.org/docs and `curl https://example.org/api`\n\n"
        "```\nhttps://example.org/in-a-block\n```"
    )

    soup = BeautifulSoup(html, "html5lib")
    assert [a["href"] for a in soup.select("a")] == ["https://example.org/docs"]
    assert inline_code(html) == ["curl https://example.org/api"]


def test_other_markdown_stays_plain_text():
    typed = "# not a heading\n- not a list\n> not a quote\n*not emphasis* [x](y)"

    html = render_comment(typed)

    soup = BeautifulSoup(html, "html5lib").body
    assert {tag.name for tag in soup.find_all(True)} == {"p", "br"}
    assert soup.get_text("\n") == typed


def test_unclosed_fence_runs_to_the_end_of_the_comment():
    html = render_comment("Look:\n\n```\nx = 1\n\ny = 2")

    assert code_blocks(html) == ["x = 1\n\ny = 2"]


def test_indented_lines_inside_a_paragraph_stay_text():
    html = render_comment("A line\n    indented, but part of the paragraph")

    assert code_blocks(html) == []


# --- End to end: form and email -------------------------------------------------------


@pytest.mark.django_db
def test_code_sent_by_form_keeps_its_shape_on_the_article_page(client, editor):
    article = make_article()
    indented = "".join("    " + line + "\n" for line in PYTHON.splitlines())
    body = f"{indented}\nThat's all, with `x < y` inline.\n\n```\n{PYTHON}```"

    client.post(f"/articles/{article.slug}/comment/", {"body": body})
    t.publish_comment(comment=Comment.objects.get(), editor=editor)

    page = client.get(article.get_absolute_url()).text
    assert code_blocks(page) == [PYTHON, PYTHON]
    assert "x < y" in inline_code(page)


@pytest.mark.django_db
def test_code_sent_by_email_keeps_its_shape_on_the_article_page(client, editor):
    article = make_article(slug="code-by-mail")
    body = f"A fix:\n\n```\n{PYTHON}```\n\nand `a < b` inline.\n"
    raw = email_bytes(to="tech.handrail404+code-by-mail@passinbox.com", body=body)

    comment = Comment.objects.get(pk=ingest_raw_email(raw).comment)
    t.publish_comment(comment=comment, editor=editor)

    page = client.get(article.get_absolute_url()).text
    assert code_blocks(page) == [PYTHON]
    assert "a < b" in inline_code(page)
