"""Measurements taken in the real browser: axe-core, target sizes, reflow, computed font size."""

import pytest
from axe_playwright_python.sync_playwright import Axe

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
_axe = Axe()


def axe_violations(page) -> list[str]:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]


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
