"""Helpers for the import and export tests: run the commands, write small exports."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

DATA = Path(__file__).resolve().parent.parent / "data" / "import"
THEME = DATA / "wordpress-theme-unit-test.xml"
ISSO_WP = DATA / "isso-wordpress.xml"
ISSO_DISQUS = DATA / "isso-disqus.xml"


def run_import(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_comments", str(path), *args, stdout=out)
    return out.getvalue()


def run_export(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("export_comments", str(path), *args, stdout=out)
    return out.getvalue()


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wxr_comment(
    comment_id: int,
    *,
    author: str = "Reader",
    content: str = "A comment.",
    date: str = "2015-03-01 10:00:00",
    approved: str = "1",
    parent: int = 0,
    kind: str = "",
    email: str = "",
) -> str:
    return f"""
    <wp:comment>
      <wp:comment_id>{comment_id}</wp:comment_id>
      <wp:comment_author>{cdata(author)}</wp:comment_author>
      <wp:comment_author_email>{email}</wp:comment_author_email>
      <wp:comment_date>{date}</wp:comment_date>
      <wp:comment_date_gmt>{date}</wp:comment_date_gmt>
      <wp:comment_content>{cdata(content)}</wp:comment_content>
      <wp:comment_approved>{approved}</wp:comment_approved>
      <wp:comment_type>{kind}</wp:comment_type>
      <wp:comment_parent>{parent}</wp:comment_parent>
    </wp:comment>"""


def wxr(*items: str, ns: str = "http://wordpress.org/export/1.2/") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{ns}">
<channel>
  <title>Old blog</title>
  <link>https://old.example.org</link>
  {"".join(items)}
</channel>
</rss>
"""


def wxr_item(slug: str, *comments: str, post_id: int = 1, title: str = "A post") -> str:
    return f"""
  <item>
    <title>{title}</title>
    <link>https://old.example.org/2015/{slug}/</link>
    <wp:post_id>{post_id}</wp:post_id>
    <wp:post_date_gmt>2015-02-01 09:00:00</wp:post_date_gmt>
    <wp:post_name>{slug}</wp:post_name>
    <wp:status>publish</wp:status>
    <wp:post_type>post</wp:post_type>
    {"".join(comments)}
  </item>"""
