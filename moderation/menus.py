"""The review screen's menus (articles with letters waiting, pick labels, reject
reasons), kept in Django's cache.

Every key press on the review screen draws the same three short lists; read from
the database each time they were three of the ten queries a page may spend. They
are kept under one cache key for MENU_SECONDS. Saving or deleting a label or a
reason drops the key (the signals connected in moderation/apps.py), so only the
article menu can lag, by at most MENU_SECONDS: an article whose first letter has
just arrived is offered that much later. A cache outage is a miss (settings.py):
the lists are read from the database as before.
"""

from dataclasses import dataclass

from django.core.cache import cache

from blog.models import Article
from moderation.models import PickLabel, RejectReason
from moderation.search import newest_waiting_articles

MENU_KEY = "moderation:review-menus:v1"
MENU_SECONDS = 30


@dataclass(frozen=True)
class Menus:
    articles: list[tuple[int, str]]  # (pk, title): the newest with letters waiting
    labels: list[str]
    reasons: list[str]

    def article_choices(self, selected: int | None) -> list[tuple[int, str]]:
        """The menu's articles by title, and the one chosen even if not among
        them (one more query, only then)."""
        chosen = list(self.articles)
        if selected is not None and selected not in {pk for pk, _ in chosen}:
            chosen += Article.objects.filter(pk=selected).values_list("pk", "title")
        return sorted(chosen, key=lambda choice: choice[1].lower())


def review_menus() -> Menus:
    return cache.get_or_set(MENU_KEY, _read, MENU_SECONDS)


def _read() -> Menus:
    return Menus(
        articles=list(newest_waiting_articles().values_list("pk", "title")),
        labels=list(PickLabel.objects.values_list("name", flat=True)),
        reasons=list(RejectReason.objects.values_list("text", flat=True)),
    )


def forget(**kwargs: object) -> None:
    """A label or reason changed: the next screen reads the lists anew."""
    cache.delete(MENU_KEY)
