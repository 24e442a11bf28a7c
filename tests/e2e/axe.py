"""axe-core in a real page: WCAG 2.1 A and AA rules, violations that block people.

The engine is vendored (tests/e2e/vendor/axe-core/, pinned by version and checksum)
so a fresh clone runs it with no network and no Node. It is injected into the page
by Playwright, in a browser context that bypasses the site's Content Security Policy
for that one script (the policy rightly forbids inline script; the site's own
scripts still load as they would for a visitor).
"""

import hashlib
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
AXE_FILE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


def axe_source() -> str:
    """The vendored axe.min.js, refused when it is not the pinned file."""
    data = AXE_FILE.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != AXE_SHA256:
        raise AssertionError(
            f"{AXE_FILE} is not axe-core {AXE_VERSION} (sha256 {digest}); "
            "see its README to update the pin"
        )
    return data.decode()


def blocking_violations(page: object) -> list[dict]:
    """axe's violations of impact serious or critical on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    results = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_21_A_AA,
    )
    return [v for v in results["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    """One paragraph per violation: the rule, its impact and the elements."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:160]}")
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"      {summary[:300]}")
    return "\n".join(lines)
