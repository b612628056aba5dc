"""What My information shows, prints and exports of a resident's mutual aid: the needs and offers they posted
and the posts they answered (the registry of record kinds: portal/mydata/records.py)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..display import when
from ..models import AidMatch, AidPost
from ..mydata.kinds import origin_text, who
from ..mydata.records import RecordKind, record_kind
from ..requests.words import REQUEST_CHANNEL_LABELS
from .common import category_label, kind_label, state_label, where_for


def posts_query(resident):
    return (
        select(AidPost)
        .where(AidPost.resident_id == resident.id)
        .order_by(AidPost.created_at.desc(), AidPost.id.desc())
        .options(joinedload(AidPost.grid), joinedload(AidPost.community), joinedload(AidPost.entered_by))
    )


def matches_query(resident):
    return (
        select(AidMatch)
        .where(AidMatch.resident_id == resident.id)
        .order_by(AidMatch.created_at.desc(), AidMatch.id.desc())
        .options(joinedload(AidMatch.post), joinedload(AidMatch.entered_by))
    )


record_kind(
    RecordKind(
        key="aid_posts",
        title=_l("Needs and offers you posted"),
        position=18,
        query=posts_query,
        export=lambda p: {
            "kind": p.kind,
            "category": p.category,
            "text": p.text,
            "whole_community": p.whole_community,
            "state": p.state,
            "channel": p.channel,
            "entered_by": who(p.entered_by),
            "kiosk_id": p.kiosk_id,
            "posted_at": p.created_at,
            "closes_at": p.expires_at,
        },
        show=lambda p: [
            (kind_label(p.kind), p.text),
            (_("What kind of help"), category_label(p.category)),
            (_("Who can see it"), where_for(p)),
            (_("Status"), state_label(p.state)),
            (_("How you posted it"), origin_text(p, REQUEST_CHANNEL_LABELS)),
            (_("Posted on"), when(p.created_at)),
        ],
    )
)

record_kind(
    RecordKind(
        key="aid_matches",
        title=_l("Neighbours' posts you answered"),
        position=19,
        query=matches_query,
        export=lambda m: {
            "post": m.post.text,
            "state": m.state,
            "agreed": m.agreed,
            "channel": m.channel,
            "entered_by": who(m.entered_by),
            "kiosk_id": m.kiosk_id,
            "answered_at": m.created_at,
        },
        show=lambda m: [
            (_("Post"), m.post.text),
            (_("What the grid worker agreed"), m.agreed or _("Not yet")),
            (_("How you answered"), origin_text(m, REQUEST_CHANNEL_LABELS)),
            (_("Answered on"), when(m.created_at)),
        ],
    )
)
