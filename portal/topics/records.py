"""What My information shows, prints and exports of a resident's topics (those they proposed) and their
supports (the registry of record kinds: portal/mydata/records.py)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..display import when
from ..models import Topic, TopicSupport
from ..mydata.kinds import origin_text, who
from ..mydata.records import RecordKind, record_kind
from ..requests.words import REQUEST_CHANNEL_LABELS
from .common import state_label, where_for


def topics_query(resident):
    return (
        select(Topic)
        .where(Topic.resident_id == resident.id)
        .order_by(Topic.created_at.desc(), Topic.id.desc())
        .options(joinedload(Topic.grid), joinedload(Topic.community), joinedload(Topic.entered_by))
    )


def supports_query(resident):
    return (
        select(TopicSupport)
        .where(TopicSupport.resident_id == resident.id)
        .order_by(TopicSupport.created_at.desc(), TopicSupport.id.desc())
        .options(joinedload(TopicSupport.topic), joinedload(TopicSupport.entered_by))
    )


record_kind(
    RecordKind(
        key="topics",
        title=_l("Topics you suggested"),
        position=16,
        query=topics_query,
        export=lambda t: {
            "title": t.title,
            "text": t.body,
            "for_grid_id": t.grid_id,
            "state": t.state,
            "supports": t.supports,
            "outcome": t.outcome,
            "channel": t.channel,
            "entered_by": who(t.entered_by),
            "kiosk_id": t.kiosk_id,
            "proposed_at": t.created_at,
            "edited_by_staff_at": t.edited_at,
        },
        show=lambda t: [
            (_("Topic"), t.title),
            (_("For"), where_for(t)),
            (_("Status"), state_label(t.state)),
            (_("Supports"), str(t.supports)),
            (_("How you suggested it"), origin_text(t, REQUEST_CHANNEL_LABELS)),
            (_("Suggested on"), when(t.created_at)),
        ],
    )
)

record_kind(
    RecordKind(
        key="topic_supports",
        title=_l("Topics you supported"),
        position=17,
        query=supports_query,
        export=lambda s: {
            "topic": s.topic.title,
            "channel": s.channel,
            "entered_by": who(s.entered_by),
            "kiosk_id": s.kiosk_id,
            "supported_at": s.created_at,
            "withdrawn_at": s.withdrawn_at,
        },
        show=lambda s: [
            (_("Topic"), s.topic.title),
            (_("Status"), _("Taken back on %(day)s", day=when(s.withdrawn_at)) if s.withdrawn_at else _("Supported")),
            (_("How you supported it"), origin_text(s, REQUEST_CHANNEL_LABELS)),
            (_("Supported on"), when(s.created_at)),
        ],
    )
)
