"""The one-question-per-page flow helper keeps answers in the session, so Back never loses them."""

import pytest
from flask import Blueprint

from portal.flow import Flow

STEPS = ["name", "phone", "year"]


@pytest.fixture
def flow_app(fresh_app):
    bp = Blueprint("demo_flow", __name__)

    @bp.route("/demo/<step>")
    def step(step):
        return step

    @bp.route("/demo/check")
    def check():
        return "check"

    fresh_app.register_blueprint(bp)
    return fresh_app


def make_flow():
    return Flow("demo", STEPS, "demo_flow.step", "demo_flow.check")


def test_answers_survive_going_back_and_next_goes_in_order(flow_app):
    with flow_app.test_request_context("/"):
        flow = make_flow()
        flow.start(grid_id=3)
        assert flow.first_unanswered() == "name"
        flow.save("name", "王秀英")
        assert flow.next_url("name") == "/demo/phone"
        assert flow.back_url("phone") == "/demo/name"
        assert flow.answer("name") == "王秀英"  # still there after going back
        flow.save("phone", "13912345678")
        flow.save("year", "1950")
        assert flow.next_url("year") == "/demo/check"
        assert flow.complete()
        assert flow.context == {"grid_id": 3}


def test_changing_an_answer_returns_to_check_your_answers(flow_app):
    with flow_app.test_request_context("/"):
        flow = make_flow()
        flow.start()
        for step in STEPS:
            flow.save(step, "x")
        assert flow.step_url("phone", changing=True) == "/demo/phone?change=1"
        assert flow.next_url("phone", changing=True) == "/demo/check"
        assert flow.back_url("phone", changing=True) == "/demo/check"


def test_steps_cannot_be_skipped_by_url(flow_app):
    with flow_app.test_request_context("/"):
        flow = make_flow()
        flow.start()
        assert flow.may_visit("name")
        assert not flow.may_visit("year")
        assert not flow.may_visit("unknown")
        flow.save("name", "x")
        assert flow.may_visit("phone") and not flow.may_visit("year")


def test_starting_again_forgets_old_answers(flow_app):
    with flow_app.test_request_context("/"):
        flow = make_flow()
        flow.start()
        flow.save("name", "x")
        flow.start()
        assert flow.answers == {}
        flow.clear()
        assert not flow.active()
