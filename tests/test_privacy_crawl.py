"""Privacy crawl: with the demo data, as a resident, as a neighbour in the same grid, and anonymously,
follow every same-site link reachable from / and the neighbours hub (GET only, bounded) and check that no
page shows anyone else's phone number, room or full name. The strings come from the database: every
resident's mobile, any phone-like digits in their family contact, their room next to their building (a room
alone is a short number such as 101, which a date or a count also contains), and their name unmasked.

It can fail: showing `post.resident.name` instead of the masked name on a mutual-aid card makes it fail
(tried while writing it). The crawl skips signing out, the "not me" and end-of-session links (they would end
the visit), print and download addresses, and static files."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

from portal.aid.seed import OPEN_NEED
from portal.extensions import db
from portal.models import Account, AidMatch, AidPost, Resident
from portal.services.cards import card_token
from portal.services.place_names import place_name

HREF = re.compile(r'href="([^"#]*)')
SKIP = re.compile(r"logout|forget|/end|reset|print|download|export|\.json|\.csv|\.svg|\.png|\.mp3|/static/|/speech")
START = ("/", "/neighbours", "/aid", "/grids/1")
MAX_PAGES = 160


def body_of(html: str) -> str:
    """The page's <body>: the <head> holds fingerprinted file names (hex digits) and no personal data."""
    start = html.find("<body")
    return html[start:] if start >= 0 else html


def private_strings(except_id: int | None) -> dict[str, int]:
    """What must never show, mapped to whose it is: every other resident's phone, rooms and full name."""
    staff_names = " ".join(db.session.scalars(db.select(Account.display_name)))
    found = {}
    for r in db.session.scalars(db.select(Resident).where(Resident.removed_at.is_(None))):
        if r.id == except_id:
            continue
        if r.phone:
            found[r.phone] = r.id
        for digits in re.findall(r"\d{7,}", r.family_contact or ""):
            found[digits] = r.id
        if r.room:
            for locale in ("zh_Hans_CN", "en"):
                building = place_name(r.building, locale)
                found[f"{building} {r.room}"] = r.id
                found[f"{building}{r.room}"] = r.id
            found[f"{r.room}室"] = r.id
        if len(r.name) >= 2 and r.name not in staff_names:  # a member of staff may share a name
            found[r.name] = r.id
    return found


def crawl(client) -> tuple[dict[str, str], list[str]]:
    """{address: body} of every page reached, and the addresses that answered with a server error."""
    seen, pages, broken = set(START), {}, []
    queue = deque(START)
    while queue and len(pages) < MAX_PAGES:
        address = queue.popleft()
        response = client.get(address)
        if response.status_code in (301, 302, 303):
            target = urlsplit(urljoin(address, response.headers["Location"]))
            nxt = target.path + (f"?{target.query}" if target.query else "")
            if not target.netloc and nxt not in seen and not SKIP.search(nxt):
                seen.add(nxt)
                queue.append(nxt)
            continue
        if response.status_code >= 500:
            broken.append(address)
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        pages[address] = body_of(html)
        for href in HREF.findall(html):
            link = urlsplit(urljoin(address, href.replace("&amp;", "&")))
            if link.netloc or link.scheme not in ("", "http") or not link.path.startswith("/"):
                continue
            nxt = link.path + (f"?{link.query}" if link.query else "")
            if nxt not in seen and not SKIP.search(nxt) and "lang=" not in nxt:
                seen.add(nxt)
                queue.append(nxt)
    return pages, broken


@pytest.fixture
def visitors(app):
    """The resident who posted the demo's open need, and the neighbour of the same grid who answered it."""
    with app.app_context():
        post = db.session.scalars(db.select(AidPost).where(AidPost.text == OPEN_NEED)).one()
        neighbour = db.session.scalars(db.select(AidMatch).where(AidMatch.post_id == post.id)).one().resident
        assert neighbour.grid_id == post.resident.grid_id
        key = app.config["SECRET_KEY"]
        return {
            "resident": (post.resident.id, card_token(post.resident, key)),
            "neighbour": (neighbour.id, card_token(neighbour, key)),
            "anonymous": (None, None),
        }


@pytest.mark.parametrize("who", ["resident", "neighbour", "anonymous"])
def test_no_page_a_resident_or_neighbour_reaches_shows_someone_elses_contact(app, client, visitors, who):
    resident_id, token = visitors[who]
    if token:
        client.get("/identify")
        assert client.submit("/identify", {"token": token}).status_code == 303
    with app.app_context():
        forbidden = private_strings(resident_id)
    pages, broken = crawl(client)
    assert not broken, broken
    assert len(pages) >= 25, sorted(pages)  # the crawl really went somewhere
    assert any(a.startswith("/aid/") for a in pages), sorted(pages)  # and into the mutual-aid posts
    leaks = [
        f"{address}: {text!r} (resident {owner})"
        for address, body in pages.items()
        for text, owner in forbidden.items()
        if text in body
    ]
    print(f"\nprivacy crawl as {who}: {len(pages)} pages")
    assert not leaks, "\n".join(leaks[:20])
