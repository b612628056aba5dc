"""Community activities (社区活动): the list and page of each activity, signing up (yourself, through a
helper, or at the staff desk), the waiting list, tickets, "My activities", the staff pages that create
and run an activity, check-in at the door with the attendance sheet, and the grid worker's call list
for residents without a mobile. Rules live in services/activities.py and services/activity_admin.py."""

from flask import Blueprint

bp = Blueprint("activities", __name__, url_prefix="/activities")

from . import door, manage, records, resident  # noqa: E402,F401
