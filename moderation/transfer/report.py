"""What an import did, in the words its report prints."""

from collections import Counter
from dataclasses import dataclass, field

from comments.models import CommentStatus
from moderation.transfer.records import DUPLICATE, NO_ARTICLE

FORMATS = {"wxr": "WordPress WXR", "disqus": "Disqus XML"}
SHOWN_UNMATCHED = 20


@dataclass
class Report:
    file: str
    format: str
    dry_run: bool = False
    imported: Counter = field(default_factory=Counter)  # by status
    skipped: Counter = field(default_factory=Counter)  # by reason
    replies: int = 0
    articles_created: int = 0
    # thread key -> (its link or title, comments not imported)
    unmatched: dict[str, list] = field(default_factory=dict)

    @property
    def total_imported(self) -> int:
        return sum(self.imported.values())

    def no_article(self, key: str, label: str) -> None:
        self.skipped[NO_ARTICLE] += 1
        self.unmatched.setdefault(key, [label, 0])[1] += 1

    def lines(self) -> list[str]:
        verb = "would import" if self.dry_run else "imported"
        s = CommentStatus
        out = [
            f"{self.file} ({FORMATS.get(self.format, self.format)}): {verb} "
            f"{self.total_imported} comments: {self.imported[s.PUBLISHED]} published, "
            f"{self.imported[s.PENDING]} pending, {self.imported[s.SPAM]} spam; "
            f"{self.replies} replies linked to the comment they answer",
        ]
        if self.articles_created:
            out.append(f"articles created: {self.articles_created}")
        if self.skipped:
            reasons = ", ".join(
                f"{n} {reason}" for reason, n in sorted(self.skipped.items())
            )
            out.append(f"skipped {sum(self.skipped.values())}: {reasons}")
        if self.unmatched:
            out.append(
                f"threads that matched no article: {len(self.unmatched)} "
                "(give them with --map FILE of `old-link,slug` lines)"
            )
            for label, n in list(self.unmatched.values())[:SHOWN_UNMATCHED]:
                out.append(f"  {label} ({n} comment{'s' if n != 1 else ''})")
            if len(self.unmatched) > SHOWN_UNMATCHED:
                out.append(f"  ... and {len(self.unmatched) - SHOWN_UNMATCHED} more")
        if not self.total_imported and self.skipped[DUPLICATE]:
            out.append(
                f"Nothing new: all {self.skipped[DUPLICATE]} comments were imported "
                "before."
            )
        if self.dry_run:
            out.append("Dry run: nothing was stored.")
        return out
