"""What the statistics views share: the period from the query string, the figures, the charts."""

from flask import current_app, request

from ..display import locale, zone
from ..extensions import db
from ..services import clock
from ..services.dates import local_today
from ..services.stats import figures
from ..services.stats.charts import chart
from ..services.stats.context import Scope
from ..services.stats.period import PERIOD_LABELS, PERIODS, parse_period
from ..services.stats.show import cell_text
from ..services.stats.stored import public_figures


def period_from_request(kinds=PERIODS):
    today = local_today(clock.utcnow(), zone())
    return parse_period(request.args, today, zone(), kinds)


def figures_for(scope: Scope, period, public: bool = False) -> list:
    return figures(db.session, scope, period, clock.utcnow(), locale(), zone(), public=public)


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
