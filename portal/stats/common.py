"""What the statistics views share: the period from the query string, the figures, the charts."""

from datetime import timedelta

from cachelib import SimpleCache
from flask import current_app, request
from markupsafe import Markup

from ..display import locale, zone
from ..extensions import db
from ..services import clock
from ..services.dates import local_today
from ..services.stats import figures
from ..services.stats.charts import chart
from ..services.stats.context import Scope
from ..services.stats.period import PERIOD_LABELS, PERIODS, parse_period
from ..services.stats.show import cell_text
from ..services.stats.stored import dumps, loads, period_key, public_figures, scope_key


def period_from_request(kinds=PERIODS):
    today = local_today(clock.utcnow(), zone())
    return parse_period(request.args, today, zone(), kinds)


def figures_for(scope: Scope, period, public: bool = False) -> list:
    return figures(db.session, scope, period, clock.utcnow(), locale(), zone(), public=public)


STAFF_FIGURES = "linli_staff_figures"  # the app's extension holding them (tests clear it between tests)


def staff_figures_for(scope: Scope, period) -> tuple[list, object]:
    """The staff page's figures and when they were counted. At city size counting takes a second or two,
    so each app process keeps what it counted for an area, period and language for
    PORTAL_STAFF_FIGURES_SECONDS (0: counted on every view); the page says when they were counted, and
    the CSV files read the same copy, so they match the page."""
    return _kept(_staff_key(scope, period), lambda now: (figures_for(scope, period), now), dumps, loads)


def staff_figures_shown(scope: Scope, period, show, variant: str) -> tuple[Markup, object]:
    """The figures part of the staff page as `show(sections)` renders it, and when they were counted: kept
    with the figures (per `variant`, the page's CSV links), since drawing 40 charts and 20 tables of a
    community's year takes longer than the rest of the page."""

    def draw(_now):
        sections, counted_at = staff_figures_for(scope, period)
        return show(sections), counted_at

    return _kept(f"{_staff_key(scope, period)}|shown|{variant}", draw, str, Markup)


def _kept(key: str, make, dump, load) -> tuple:
    """(value, when it was made): the copy kept under `key` while it is younger than
    PORTAL_STAFF_FIGURES_SECONDS, else `make(now)`, kept as `dump(value)` and read back with `load`."""
    now, max_age = clock.utcnow(), current_app.config["PORTAL_STAFF_FIGURES_SECONDS"]
    if max_age <= 0:
        return make(now)
    kept = _kept_here().get(key)
    if kept is not None and now - timedelta(seconds=max_age) < kept[1] <= now:
        return load(kept[0]), kept[1]
    value, made_at = make(now)
    _kept_here().set(key, (dump(value), made_at), timeout=max_age)
    return value, made_at


def _kept_here() -> SimpleCache:
    # At most 64 copies (a community's year, drawn, is about 1 MB): a staff member trying many custom
    # periods within the minute pushes out older copies rather than filling the process's memory.
    return current_app.extensions.setdefault(STAFF_FIGURES, SimpleCache(threshold=64))


def _staff_key(scope: Scope, period) -> str:
    return f"{scope_key(scope)}|{period_key(period, zone())}|{locale()}"


def public_figures_for(scope: Scope, period) -> tuple[list, object]:
    """The public page's figures, as kept for every reader (services/stats/stored.py), and when they
    were worked out."""
    max_age = current_app.config["PORTAL_PUBLIC_FIGURES_SECONDS"]
    return public_figures(db.session, scope, period, clock.utcnow(), locale(), zone(), max_age)


def page_context(scope: Scope, form, period, errors, sections, kinds=PERIODS) -> dict:
    return {
        "scope": scope,
        "form": form,
        "form_errors": errors,
        "period": period,
        "sections": sections,
        "period_options": [(k, PERIOD_LABELS[k]) for k in kinds],
        "chart": chart,
        "cell_text": cell_text,
        "query": {k: v for k, v in form.items() if v and (form["period"] == "custom" or k == "period")},
    }
