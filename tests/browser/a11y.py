"""Accessibility checks for the browser tests: an axe-core audit of the page
as shown (WCAG 2.1 A and AA rules), sideways scrolling at a narrow width,
and the list of violations that are Streamlit's own, excluded rule by rule
on the element concerned, each with its upstream issue.

axe-core comes bundled in ``axe-playwright-python`` (no download) and runs
inside the page, so it sees the DOM as a person's browser shows it.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import ARTIFACTS

TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
BLOCKING = ("serious", "critical")


@dataclass(frozen=True)
class KnownException:
    """One axe rule on one kind of element that Streamlit draws and this project cannot change."""

    rule: str
    selector: str  # the element (or an ancestor of it) the violation is on
    upstream: str  # the upstream issue
    why: str


#: Streamlit's own violations: each excluded only for its rule, only on its element.  docs/ACCESSIBILITY.md
#: lists the same ones as known exceptions (a test checks the two agree).
KNOWN: tuple[KnownException, ...] = ()


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def line(self) -> str:
        shown = ", ".join(self.targets[:3]) + (" …" if len(self.targets) > 3 else "")
        return f"{self.impact:8} {self.rule}: {self.help} ({len(self.targets)}: {shown})"


@dataclass(frozen=True)
class Audit:
    page: str
    violations: tuple[Violation, ...]  # after the known exceptions
    excluded: int  # element violations dropped as Streamlit's own (KNOWN)

    def count(self, impacts: tuple[str, ...]) -> int:
        """Element violations (a rule failing on one element counts once) of these impacts."""
        return sum(len(v.targets) for v in self.violations if v.impact in impacts)

    @property
    def blocking(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.impact in BLOCKING)


_AXE: str | None = None


def _axe_source() -> str:
    global _AXE
    if _AXE is None:
        from axe_playwright_python.sync_playwright import Axe

        _AXE = Axe().axe_script
    return _AXE


_RUN = """async ([tags, known]) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  let excluded = 0;
  const violations = results.violations.map(v => {
    const targets = v.nodes.filter(node => {
      const el = document.querySelector(node.target[node.target.length - 1]);
      const own = el && known.some(([rule, selector]) => rule === v.id && el.closest(selector));
      if (own) excluded += 1;
      return !own;
    });
    return {rule: v.id, impact: v.impact || 'minor', help: v.help, targets: targets.map(n => n.target.join(' ')),
            details: targets.map(n => (n.any[0] || n.all[0] || n.none[0] || {}).message || n.failureSummary)};
  }).filter(v => v.targets.length > 0);
  return {violations, excluded};
}"""


def audit(page: Page, name: str) -> Audit:
    """Run axe-core on the page as it is now; the result is also written to test-artifacts/axe/NAME.json."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    found = page.evaluate(_RUN, [list(TAGS), [[k.rule, k.selector] for k in KNOWN]])
    result = Audit(
        name,
        tuple(Violation(v["rule"], v["impact"], v["help"], tuple(v["targets"])) for v in found["violations"]),
        found["excluded"],
    )
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    (folder / f"{slug}.json").write_text(json.dumps(found, indent=1))
    return result


def report(audits: list[Audit]) -> str:
    """The per-page table (serious + critical, then moderate + minor element violations) and every violation."""
    lines = [
        "| Page or state | Serious + critical | Moderate + minor | Excluded (Streamlit's own) |",
        "|---|---|---|---|",
    ]
    lines += [f"| {a.page} | {a.count(BLOCKING)} | {a.count(('moderate', 'minor'))} | {a.excluded} |" for a in audits]
    for a in audits:
        lines += [f"  {a.page}: {v.line()}" for v in a.violations]
    return "\n".join(lines)


def sideways_overflow(page: Page) -> tuple[int, str]:
    """How many CSS pixels the page (or Streamlit's scrolling main element) would scroll sideways, and the
    element reaching furthest right (a test id or tag, to say what to fix)."""
    return tuple(
        page.evaluate(
            """() => {
          const boxes = [document.documentElement, document.body, document.querySelector('[data-testid="stMain"]')];
          const px = Math.max(0, ...boxes.filter(Boolean).map(el => el.scrollWidth - el.clientWidth));
          if (px === 0) return [0, ''];
          let widest = null, right = 0;
          for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
            const r = el.getBoundingClientRect().right;
            if (r > right) { right = r; widest = el; }
          }
          const named = widest && (widest.closest('[data-testid]') || widest);
          return [px, named ? (named.getAttribute('data-testid') || named.tagName) + ' ' + Math.round(right) : ''];
        }"""
        )
    )


def settle(page: Page) -> None:
    """Let the page lay itself out at a new width: Streamlit's data grid measures its box a frame or two
    after a resize.  Waits (bounded) for the page to stop scrolling sideways; a page that never does is
    then reported by ``sideways_overflow``."""
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            """() => [document.documentElement, document.body, document.querySelector('[data-testid="stMain"]')]
                     .filter(Boolean).every(el => el.scrollWidth <= el.clientWidth)""",
            timeout=3_000,
            polling="raf",
        )


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """The WCAG 2.1 contrast ratio of two "#rrggbb" colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
