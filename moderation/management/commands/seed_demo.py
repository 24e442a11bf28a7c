"""Load the demo content: articles, published comments and a real-looking queue.

Idempotent: articles already present (by slug) are left as they are.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from blog.models import Article
from comments.intake import submit_comment
from comments.models import CommentSource
from config.commands import DocumentedCommand
from moderation.demo.content import demo_articles
from moderation.transitions import publish_comment


class Command(DocumentedCommand):
    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        created = 0
        for demo in demo_articles():
            if Article.objects.filter(slug=demo.slug).exists():
                continue
            article = Article.objects.create(
                title=demo.title,
                slug=demo.slug,
                standfirst=demo.standfirst,
                body=demo.body,
                published_at=timezone.now() - timedelta(days=demo.days_ago),
            )
            for text in demo.published_comments:
                comment = submit_comment(
                    article=article, source=CommentSource.EMAIL, body=text
                )
                publish_comment(comment=comment, editor=None)
            for name, text in demo.pending_comments:
                submit_comment(
                    article=article,
                    source=CommentSource.WEB,
                    body=text,
                    author_name=name or "Anonymous",
                )
            created += 1
        self.stdout.write(f"demo content: {created} article(s) added")
