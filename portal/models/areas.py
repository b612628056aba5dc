"""The community structure: street (街道) > community (社区) > grid (网格) > building (楼栋/微网格)."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class Street(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    name_en: Mapped[str] = mapped_column(String(120), default="")

    communities: Mapped[list["Community"]] = relationship(back_populates="street", order_by="Community.id")


class Community(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"))
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120), default="")

    street: Mapped[Street] = relationship(back_populates="communities")
    grids: Mapped[list["Grid"]] = relationship(back_populates="community", order_by="Grid.number")

    __table_args__ = (UniqueConstraint("street_id", "name"),)


class Grid(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120), default="")

    community: Mapped[Community] = relationship(back_populates="grids")
    buildings: Mapped[list["Building"]] = relationship(back_populates="grid", order_by="Building.name")

    __table_args__ = (UniqueConstraint("community_id", "number"),)


class Building(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120), default="")

    grid: Mapped[Grid] = relationship(back_populates="buildings")

    __table_args__ = (UniqueConstraint("grid_id", "name"),)
