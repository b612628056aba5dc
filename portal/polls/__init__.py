"""Votes (网络微投票): the polls a resident may vote in, a poll's page with its results when they may be
shown (a server-side SVG chart with the same figures as a table) and an A4 print of them, voting (the
resident themselves, at a kiosk or through a helper), and the staff pages that create a poll and enter
the paper ballots of each polling place. Rules: services/polls.py."""

from flask import Blueprint

bp = Blueprint("polls", __name__)

from . import manage, records, routes  # noqa: E402,F401
