"""Joining a grid: the sign-up flow after scanning a poster (/j/<code>), the same flow run by a grid
worker or volunteer for a resident without a phone (/residents/register), and the resident card."""

from flask import Blueprint

bp = Blueprint("join", __name__)

from . import cards, register, routes  # noqa: E402,F401
