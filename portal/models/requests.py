"""Resident requests (诉求): categories with their SLA, the requests themselves and their timeline."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .areas import Building, Community, Grid
from .people import Account, Resident, utcnow

REQUEST_STATES = ("submitted", "accepted", "in_progress", "resolved", "closed", "referred", "cancelled")
_STATE_LIST = ", ".join(f"'{s}'" for s in REQUEST_STATES)


class Category(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # A stable code for Open311's service_code and for the seed, such as "repairs".
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    # The promise to the resident: someone takes the request on within hours_to_accept, and it is
    # finished within days_to_resolve of being filed.
    hours_to_accept: Mapped[int] = mapped_column(default=24)
    days_to_resolve: Mapped[int] = mapped_column(default=7)
    position: Mapped[int] = mapped_column(default=100)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (
        CheckConstraint("hours_to_accept BETWEEN 1 AND 720", name="accept_hours_range"),
        CheckConstraint("days_to_resolve BETWEEN 1 AND 365", name="resolve_days_range"),
    )


class Request(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # What residents see, type and print: short, random, from an alphabet without look-alikes.
    ticket: Mapped[str] = mapped_column(String(12), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    location_text: Mapped[str] = mapped_column(String(200), default="")
    # A file name under the upload folder, re-encoded without EXIF; None when there is no photo.
    photo_path: Mapped[str | None] = mapped_column(String(120))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"), index=True)
    # The grid worker handling it; None means the community staff queue.
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="online")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"))
    # The Open311 partner whose key filed it (channel "open311"); None for every other channel.
    partner_key_id: Mapped[int | None] = mapped_column(ForeignKey("partner_key.id"))
    # Staff marked the resident's description (and photo) fit to publish in the open data (Open311). Until
    # then the open data shows the category's name instead: residents write names, rooms and phones in there.
    published: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    state: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    accept_by: Mapped[datetime]
    resolve_by: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Set once, by a conditional UPDATE, when the request is escalated for missing each deadline.
    accept_escalated_at: Mapped[datetime | None]
    resolve_escalated_at: Mapped[datetime | None]

    category: Mapped[Category] = relationship()
    building: Mapped[Building | None] = relationship()
    resident: Mapped[Resident] = relationship()
    community: Mapped[Community] = relationship()
    grid: Mapped[Grid] = relationship()
    assignee: Mapped[Account | None] = relationship(foreign_keys=[assignee_id])
    entered_by: Mapped[Account | None] = relationship(foreign_keys=[entered_by_id])
    events: Mapped[list["RequestEvent"]] = relationship(back_populates="request", order_by="RequestEvent.id")

    __table_args__ = (
        CheckConstraint(f"state IN ({_STATE_LIST})", name="state_known"),
        CheckConstraint("accept_by <= resolve_by", name="deadlines_ordered"),
        # A grid worker's queue (their open requests, in the order of their deadlines) read from the index
        # alone, its page and its count; and a community's open or overdue ones.
        Index("ix_request_assignee_state_due", "assignee_id", "state", "accept_by", "resolve_by", "created_at"),
        Index("ix_request_community_state", "community_id", "state"),
        # The overdue view, its count and the escalation sweep, read from the index alone: everything
        # their WHERE and ORDER BY look at (a community's open requests, their deadlines, escalations).
        Index(
            "ix_request_community_state_due",
            "community_id",
            "state",
            "accept_by",
            "resolve_by",
            "created_at",
            "accept_escalated_at",
            "resolve_escalated_at",
        ),
        # Open311's list: a jurisdiction's requests in a date window, newest first.
        Index("ix_request_community_created", "community_id", "created_at"),
    )


class RequestEvent(db.Model):
    """One line of a request's timeline: filed, a state change, a reassignment or an escalation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    # filed, state, reassigned, escalated
    kind: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    # Notes on state changes are written for the resident and shown on the public status page;
    # reassignment reasons and escalations are for staff only.
    public: Mapped[bool] = mapped_column(Boolean, default=False)

    request: Mapped[Request] = relationship(back_populates="events")
    actor: Mapped[Account | None] = relationship()

    __table_args__ = (
        CheckConstraint("kind IN ('filed', 'state', 'reassigned', 'escalated')", name="kind_known"),
        CheckConstraint(f"to_state IS NULL OR to_state IN ({_STATE_LIST})", name="to_state_known"),
    )
