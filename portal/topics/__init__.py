"""Topics and meetings (议事会): the topics of a grid or community by support, a topic's page with its
meeting, attendance and outcome, proposing a topic (a resident themselves, at a kiosk or through a helper,
or staff), supporting it and taking the support back, and the staff pages that edit a topic for clarity,
close or hide it, choose its meeting (an activity) and record the outcome. Rules: services/topics.py."""

from flask import Blueprint

bp = Blueprint("topics", __name__)

from . import manage, records, routes  # noqa: E402,F401
