"""The XSS checker itself must catch what it is there to catch."""

import pytest

from tests.security.inert import problems


@pytest.mark.parametrize(
    "html",
    [
        "<p><script>alert(1)</script></p>",
        "<img src=x onerror=alert(1)>",
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        '<a href="DATA:text/html,x">x</a>',
        "<svg><g></g></svg>",
        "<p><iframe></iframe></p>",
        "<style>p{}</style>",
        '<button formaction="vbscript:x">',
        "<textarea></textarea><script src=//evil.example/x.js></script>",
    ],
)
def test_checker_flags_executable_markup(html):
    assert problems(html)


@pytest.mark.parametrize(
    "html",
    [
        '<script src="/static/admin/js/core.js"></script>',
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
        '<a href="https://example.org/x" rel="nofollow ugc noopener">x</a>',
        "<textarea>&lt;/textarea&gt;&lt;script&gt;</textarea>",
    ],
)
def test_checker_accepts_inert_markup(html):
    assert not problems(html)
