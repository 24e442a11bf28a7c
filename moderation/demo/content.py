"""Demo content: the blog's first article (from the seed text) and a few more."""

from dataclasses import dataclass
from pathlib import Path

SEED_FILE = Path(__file__).with_name("ai-is-not-open-source.txt")
# The seed page itself stops short after "For instance:", "such as:" and mid-
# sentence at the end; the demo says so where it happens, so a newcomer doesn't
# take the gap for a rendering bug.
CUT_NOTE = (
    "*[Editor’s note: the page this demo article is copied from stops here; "
    "what followed is missing from it, not from this site.]*"
)


@dataclass(frozen=True)
class DemoArticle:
    title: str
    slug: str
    standfirst: str
    body: str
    days_ago: int
    published_comments: tuple[str, ...] = ()
    pending_comments: tuple[tuple[str, str], ...] = ()  # (name, text)


def _is_heading(line: str) -> bool:
    return len(line) < 90 and not line.endswith((".", ":", "!", "?", ","))


def parse_seed(text: str) -> tuple[str, str, list[str]]:
    """The seed page -> (title, Markdown body, published comment texts)."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    # blocks[0] is the site name, blocks[1] the title; the page ends with the
    # "Write your comments" line, the comments, and "Back to the Index".
    title = blocks[1]
    body, comments, in_comments = [], [], False
    for block in blocks[2:]:
        if block.startswith("Write your comments to"):
            in_comments = True
        elif block.startswith("Back to the Index"):
            break
        elif in_comments:
            comments.append(block.removeprefix("Anonymous:").strip())
        else:
            body.append(f"## {block}" if _is_heading(block) else block)
            if block.endswith((":", ",")):
                body.append(CUT_NOTE)
    return title, "\n\n".join(body), comments


def demo_articles() -> list[DemoArticle]:
    """The seed article with its three published comments, and two shorter ones."""
    title, body, comments = parse_seed(SEED_FILE.read_text(encoding="utf-8"))
    return [
        DemoArticle(
            title=title,
            slug="ai-is-not-open-source",
            standfirst="Open weights are a binary, not source. Why that matters for "
            "security.",
            body=body,
            days_ago=3,
            published_comments=tuple(comments),
            pending_comments=(
                (
                    "Mara",
                    "Weights without the training data are like a .so without "
                    "headers. You can link against it; you can't audit it.",
                ),
                (
                    "",
                    "The OSI definition at least asks for data information. Is that "
                    "enough, in your view?",
                ),
                (
                    "Jonas K.",
                    "Great post. Check out my site for cheap followers "
                    "https://example.com/promo https://example.com/promo2 "
                    "https://example.com/promo3",
                ),
            ),
        ),
        DemoArticle(
            title="Reproducible Builds, Ten Years On",
            slug="reproducible-builds",
            standfirst="Bit-for-bit identical binaries went from a curiosity to a "
            "baseline. What changed, and what still breaks them.",
            body="Debian's reproducible-builds effort started as a side project.\n\n"
            "## What still breaks builds\n\nTimestamps, file ordering and build "
            "paths remain the usual suspects. `SOURCE_DATE_EPOCH` fixed the first.",
            days_ago=10,
            pending_comments=(("Ana", "Build paths still bite us in Go with cgo."),),
        ),
        DemoArticle(
            title="Why We Moderate Every Comment",
            slug="why-we-moderate",
            standfirst="Comments here are read by an editor first. The best are "
            "published; here is why.",
            body="A letters page, not a free-for-all.\n\nWrite to us by email or "
            "with the form under each article; an editor reads everything.",
            days_ago=20,
        ),
    ]
