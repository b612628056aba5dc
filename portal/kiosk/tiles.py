"""The kiosk home's tiles, data-driven: a tile shows only when its endpoint exists in this app, so a
capability that is not installed leaves no dead tile behind. At most eight tiles (two columns of four
fill a portrait kiosk screen with targets far above 60 px), in this order."""

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..pages import linkable

MAX_TILES = 8


@dataclass(frozen=True)
class Tile:
    endpoint: str
    label: object  # a lazy string
    icon: str  # a name in templates/kiosk/icons.html
    # Needs an identified resident: the tile goes through the kiosk identification first.
    needs_resident: bool
    # Offered again once a resident is identified (joining is for people who have not joined yet).
    after_identify: bool = True
    # Offered only once a resident is identified ("My grid" is somebody's grid).
    before_identify: bool = True


TILES = [
    Tile("health.stations", _l("Book a health check"), "heart", needs_resident=True),
    Tile("health.mine", _l("My appointments"), "calendar", needs_resident=True),
    Tile("requests.file_start", _l("Report a problem"), "speech", needs_resident=True),
    Tile("requests.status_form", _l("Check my request"), "search", needs_resident=False),
    Tile("mydata.mine", _l("My information"), "person", needs_resident=True),
    Tile("kiosk.join", _l("Join your grid"), "house", needs_resident=False, after_identify=False),
    Tile("grids.mine", _l("My grid"), "grid", needs_resident=True, before_identify=False),
    # The identified resident's grid notices; with nobody identified, the kiosk community's.
    Tile("notices.here", _l("Notices"), "board", needs_resident=False),
    # Mutual aid, topics, votes and volunteering: each part asks who you are when it needs to.
    Tile("neighbours.hub", _l("Neighbours"), "people", needs_resident=False),
]


def available_tiles(tiles=None) -> list[Tile]:
    """The tiles whose endpoint this app has and can build without arguments, at most MAX_TILES."""
    return [tile for tile in (TILES if tiles is None else tiles) if linkable(tile.endpoint)][:MAX_TILES]


def tile_url(tile: Tile, identified: bool) -> str:
    target = url_for(tile.endpoint)
    if tile.needs_resident and not identified:
        return url_for("kiosk.identify", next=target)
    return target


def tile_links(identified: bool, after_identify_only: bool = False) -> list[dict]:
    offered = [
        tile
        for tile in TILES
        if (tile.after_identify or not after_identify_only) and (tile.before_identify or identified)
    ]
    return [{"tile": tile, "url": tile_url(tile, identified)} for tile in available_tiles(offered)]
