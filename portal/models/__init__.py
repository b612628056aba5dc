"""Database models, one module per aggregate."""

from .activities import ACTIVITY_STATES, SIGNUP_STATES, Activity, ActivitySignup, activity_grids
from .areas import Building, Community, Grid, Street
from .audit import AuditEvent
from .calls import CALL_STATES, StaffCall
from .health import Booking, Closure, QueueCounter, Service, Slot, Station, WeeklySchedule
from .identity import IdentifyFailure, OneTimeCode
from .kiosk import Kiosk, KioskIdentifyFailure
from .limits import RateLimitCounter
from .mydata import DataRequest
from .notices import Notice, NoticeRead, notice_grids
from .open311 import PartnerKey
from .outbox import OutboxMessage
from .people import ROLES, Account, Resident, account_grids, utcnow

# Votes (网络微投票)
from .polls import Ballot, BallotChoice, PaperBatch, Poll, PollOption, poll_grids  # noqa: E402
from .posters import Poster
from .requests import REQUEST_STATES, Category, Request, RequestEvent
from .sessions import StoredSession
from .stats import StoredFigures

# Topics and meetings (议事会)
from .topics import TOPIC_STATES, Topic, TopicEdit, TopicSupport, topic_meetings  # noqa: E402

# Volunteer register (活地图)
from .volunteers import CallOut, CallOutReply, Volunteer  # noqa: E402

# isort: split
# Mutual aid (邻里互助)
from .aid import AID_CATEGORIES, AID_KINDS, AID_POST_STATES, AidCall, AidMatch, AidPost, AidReport  # noqa: E402

__all__ = [
    "StoredFigures",
    "Activity",
    "ActivitySignup",
    "activity_grids",
    "ACTIVITY_STATES",
    "SIGNUP_STATES",
    "Street",
    "Community",
    "Grid",
    "Building",
    "Account",
    "Resident",
    "ROLES",
    "account_grids",
    "utcnow",
    "Kiosk",
    "KioskIdentifyFailure",
    "StaffCall",
    "CALL_STATES",
    "IdentifyFailure",
    "OneTimeCode",
    "AuditEvent",
    "OutboxMessage",
    "PartnerKey",
    "Notice",
    "NoticeRead",
    "notice_grids",
    "Poster",
    "REQUEST_STATES",
    "Category",
    "Request",
    "RequestEvent",
    "Station",
    "Service",
    "WeeklySchedule",
    "Closure",
    "Slot",
    "QueueCounter",
    "Booking",
    "StoredSession",
    "RateLimitCounter",
    "DataRequest",
    # Topics and meetings (议事会)
    "Topic",
    "TopicEdit",
    "TopicSupport",
    "topic_meetings",
    "TOPIC_STATES",
    # Votes (网络微投票)
    "Poll",
    "PollOption",
    "Ballot",
    "BallotChoice",
    "PaperBatch",
    "poll_grids",
    # Volunteer register (活地图)
    "Volunteer",
    "CallOut",
    "CallOutReply",
    # Mutual aid (邻里互助)
    "AidPost",
    "AidMatch",
    "AidReport",
    "AidCall",
    "AID_KINDS",
    "AID_CATEGORIES",
    "AID_POST_STATES",
]
