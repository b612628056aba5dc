"""The browser checks themselves find what they are for: a page with known faults fails them, also when
the page changes in place (axe-core already in it, as after an htmx swap)."""

import pytest

from tests.support.browser_checks import axe_violations, page_problems, small_targets

pytestmark = pytest.mark.browser

FAULTY = """<!doctype html><html lang="en"><head><title>Faults</title></head><body><main><h1>Faults</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#bbb;background:#fff">Pale text nobody can read</p>
<button style="width:20px;height:20px;padding:0">x</button></main></body></html>"""


def test_a_page_with_faults_fails_the_checks_and_again_after_it_changes_in_place(page):
    page.set_content(FAULTY)
    found = axe_violations(page)
    assert any(v.startswith("image-alt:") for v in found), found
    assert any(v.startswith("color-contrast:") for v in found), found
    assert small_targets(page) and small_targets(page)[0].startswith('button "x" 20x20')
    # Fixed in place: the same document, so axe-core is already there and runs again on what is shown now.
    page.evaluate("document.querySelector('img').alt = 'A dot'")
    page.evaluate("document.querySelector('p').style.color = '#111'")
    assert axe_violations(page) == []
    page.evaluate("document.querySelector('main').append(Object.assign(document.createElement('a'), {href: '#'}))")
    assert any(v.startswith("link-name:") for v in axe_violations(page))
    assert "small target" in " ".join(page_problems(page, lang="en"))
