"""Read an editor's answer to a notice into lines: which comments, which word, the rest.

One decision a line: ``1 publish``, ``2 pick Best of the week``, ``3 reject
off-topic``, ``4 spam``, ``all spam``, ``2 name Sam Example``; ``1, 3 spam``
names several; a notice about one comment accepts a bare ``publish``. Nothing
is guessed: a line that isn't of that shape is reported as not understood, and
which words are decisions is moderation/answers.py's question, not this one's.

The text read is what the pipeline kept of the answer (its quotes and signature
cut by comments/mail/trimming.py). Lines still quoted (``>``, an interleaved
answer keeps its quotes) are the notice's words, not the editor's, and are
skipped; so is everything from the notice's own marker line on, in case a mail
client quoted the notice in a way trimming doesn't know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The first line of every notice; an answer ends where a copy of it starts.
ANSWER_ABOVE = "## Answer above this line: one line per comment (see below) ##"
MAX_LINES = 100  # an answer is a handful of lines; a pasted novel is not read
_NUMBERS = r"#?\d{1,4}(?:\s*,\s*#?\d{1,4})*"
_LINE = re.compile(
    rf"^(?:(?P<all>all)\b|(?P<numbers>{_NUMBERS})\s*[.:)]?)?\s*"
    r"(?P<word>[^\W\d_][\w-]*)[.!]?(?:\s+(?P<rest>.*))?$",
    re.I,
)


@dataclass(frozen=True)
class AnswerLine:
    """One line of an answer, as written and as read."""

    text: str  # the line as the editor wrote it
    numbers: tuple[int, ...] = ()  # the comments' numbers in the notice
    every: bool = False  # "all"
    word: str = ""  # lower-case; "" when the line is not understood
    rest: str = ""  # what follows the word: a reason, a label, a name

    @property
    def understood(self) -> bool:
        return bool(self.word)


def answer_lines(text: str) -> tuple[list[AnswerLine], bool]:
    """(the lines of an answer, whether lines beyond MAX_LINES were left unread)."""
    lines: list[AnswerLine] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if line.startswith("##") and "above this line" in line.lower():
            break
        if not line or line.startswith(">"):
            continue
        if len(lines) == MAX_LINES:
            return lines, True
        lines.append(read_line(line))
    return lines, False


def read_line(line: str) -> AnswerLine:
    """One line read: numbers or "all" (or neither), a word, the rest."""
    match = _LINE.match(line)
    if match is None:
        return AnswerLine(text=line)
    numbers = tuple(
        int(n.strip().lstrip("#")) for n in (match["numbers"] or "").split(",") if n
    )
    return AnswerLine(
        text=line,
        numbers=numbers,
        every=bool(match["all"]),
        word=match["word"].lower(),
        rest=" ".join((match["rest"] or "").split()),
    )
