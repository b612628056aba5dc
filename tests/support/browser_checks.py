"""Measurements taken in the real browser: axe-core, target sizes, reflow, computed font size."""

import pytest
from axe_playwright_python.sync_playwright import Axe

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
_axe = Axe()


# axe-core (from the axe-playwright-python wheel) is put into a page once: a page htmx changed in place
# still has it, and sending its 570 kB again cost as much as a run. The browser sends back only what
# the report shows of each violation, not axe's whole result.
RUN_AXE = """
async (options) => (await axe.run(options)).violations.map(
  (v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target[0]).join(", ")})`)
"""


def axe_violations(page) -> list[str]:
    if not page.evaluate("() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        page.evaluate(_axe.axe_script)
    return page.evaluate(RUN_AXE, {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})


SMALL_TARGETS_JS = """
(minimum) => {
  const selector = 'a[href], button, input[type=submit], input[type=button], summary, [role=button], label.choice-label';
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || style.display === 'none' || box.width === 0 || box.height === 0) continue;
    if (box.bottom + window.scrollY <= 0 || box.right + window.scrollX <= 0) continue;  // parked off-screen (skip link)
    if (el.closest('.visually-hidden')) continue;
    if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
      small.push(`${el.tagName.toLowerCase()} "${(el.innerText || el.value || '').trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}
"""


def small_targets(page, minimum=48) -> list[str]:
    return page.evaluate(SMALL_TARGETS_JS, minimum)


def has_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def font_size(page, selector="body") -> float:
    return page.evaluate("(s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)", selector)


HTML_LANG = {"zh": "zh-CN", "en": "en"}


def page_problems(page, minimum=48, reflow=False, lang=None) -> list[str]:
    """What DESIGN.md's accessibility numbers find wrong with the page as shown: axe-core's WCAG 2.2 AA
    violations, targets under `minimum` px, body text under 18 px; with `reflow`, sideways scrolling;
    with `lang` ("zh" or "en"), a page that is not in that language."""
    found = axe_violations(page) + [f"small target: {t}" for t in small_targets(page, minimum)]
    if font_size(page) < 18:
        found.append(f"body text is {font_size(page)} px")
    if reflow and has_horizontal_scroll(page):
        found.append("scrolls sideways")
    if lang and page.evaluate("document.documentElement.lang") != HTML_LANG[lang]:
        found.append(f"the page is not in {HTML_LANG[lang]}")
    return found


class PageChecks(dict):
    """The page check, run on each screen of a walk through the site: screen name -> problems found.

    A test runs the same walk in Chinese and in English (`@IN_BOTH_LANGUAGES`) and ends with
    `assert not checks, checks`."""

    def __init__(self, minimum=48, reflow=False, lang=None):
        super().__init__()
        self.minimum, self.reflow, self.lang = minimum, reflow, lang
        self.seen = []

    def check(self, page, name) -> None:
        self.seen.append(name)
        found = page_problems(page, self.minimum, self.reflow, self.lang)
        if found:
            self[name] = found

    def visit(self, page, base_url, paths) -> "PageChecks":
        for path in paths:
            page.goto(base_url + path)
            self.check(page, path)
        return self


IN_BOTH_LANGUAGES = pytest.mark.parametrize("lang", ["zh", "en"])
