"""Template helpers: one module registers every filter, global and context processor, and refuses a name
twice, so one capability's words can no longer replace another's on the page."""

import re

import pytest
from flask import Flask

from portal.config import ROOT
from portal.extensions import db
from portal.models import Account, Request
from portal.template_helpers import DuplicateTemplateHelper, TemplateHelpers

from tests.support.signin import sign_in

VOLUNTEER_ENTERED = "K7MX3PQA"  # a demo request in the grid worker's queue
REGISTERING = re.compile(
    r"app_template_filter|app_template_global|app_context_processor|add_template_filter|"
    r"add_template_global|\.context_processor|template_filter\(|jinja_env\.(filters|globals)"
)


def test_a_name_registered_twice_is_refused():
    helpers = TemplateHelpers(Flask(__name__))
    helpers.filter("when", str)
    with pytest.raises(DuplicateTemplateHelper):
        helpers.filter("when", repr)
    with pytest.raises(DuplicateTemplateHelper):
        helpers.global_("when", repr)  # a global of the same name would be just as confusing
    helpers.global_("channel_label", str)
    with pytest.raises(DuplicateTemplateHelper):
        helpers.context(lambda: {"channel_label": repr}, "channel_label")  # a context value hides a global
    with pytest.raises(DuplicateTemplateHelper):
        helpers.filter("length", len)  # Jinja's own


def test_a_context_processor_gives_only_the_names_it_declared():
    app = Flask(__name__)
    TemplateHelpers(app).context(lambda: {"kiosk_mode": None, "clock": "x"}, "kiosk_mode")
    with app.test_request_context("/"), pytest.raises(DuplicateTemplateHelper):
        app.update_template_context({})


def test_only_the_template_helpers_module_registers_helpers():
    registering = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "portal").rglob("*.py")
        if path.name != "template_helpers.py" and REGISTERING.search(path.read_text(encoding="utf-8"))
    ]
    assert registering == []


def test_the_app_has_each_helper_once(app):
    # create_app would raise if two capabilities registered the same name; these are the ones that clashed.
    assert {"clock", "full_date", "loc", "when"} <= set(app.jinja_env.filters)
    assert {"request_channel_label", "booking_channel_label"} <= set(app.jinja_env.globals)
    assert "channel_label" not in app.jinja_env.globals and "loctext" not in app.jinja_env.filters


def test_a_request_entered_by_a_volunteer_says_so_in_both_languages(app, client, auth):
    with app.app_context():
        volunteer = db.session.scalars(db.select(Account).filter_by(username="volunteer")).one()
        request = db.session.scalars(db.select(Request).filter_by(ticket=VOLUNTEER_ENTERED)).one()
        request.channel, request.entered_by_id = "volunteer", volunteer.id
        db.session.commit()
        name = volunteer.display_name
    sign_in(auth, "gridworker")
    english = client.get(f"/requests/{VOLUNTEER_ENTERED}?lang=en").get_data(as_text=True)
    assert f", by a volunteer ({name})</dd>" in english
    chinese = client.get(f"/requests/{VOLUNTEER_ENTERED}?lang=zh").get_data(as_text=True)
    assert f", 由志愿者代办 ({name})</dd>" in chinese
    assert "志愿者代约" not in chinese  # "booked on behalf by a volunteer": the health station's words
