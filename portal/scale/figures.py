"""How big the city is: every figure of `flask --app portal seed-scale`, from the number of residents.

The default (100,000 residents) is issue 14's city; `--residents N` scales every volume by N / 100,000.
The structure (communities, grids, stations) scales too, but never below what the demo already has plus
one new community, so a small run (tests use 2,000) still has every kind of row.
"""

from dataclasses import dataclass

DEFAULT_RESIDENTS = 100_000
# The seed of random.Random: the same size on the same day gives the same data.
SEED = 14


@dataclass(frozen=True)
class Figures:
    residents: int
    communities: int  # in all, the demo's two included
    grids_per_community: int  # at least; the demo's communities keep theirs if they have more
    stations: int  # in all, the demo's two included
    requests: int
    bookings: int
    audit_events: int
    # Open requests that nobody has finished: the demo grid worker's grids (Nanhu grids 1-2), the rest of
    # the demo staff's community (Nanhu), and every other grid of the city.
    backlog_demo_grids: int
    backlog_demo_community: int
    backlog_city: int
    staff_per_community: int
    volunteers_per_community: int
    nurses_per_station: int
    activities: int = 0
    activity_signups: int = 0
    # The neighbours' capabilities (issue 11): mutual aid, votes, the volunteer register.
    aid_posts: int = 0
    aid_matches: int = 0
    polls_per_community: int = 2
    volunteers: int = 0
    callouts: int = 0
    past_days: int = 337
    future_days: int = 28  # the booking window (services/slots.py DEFAULT_WINDOW_DAYS)

    @property
    def days(self) -> int:
        return self.past_days + self.future_days


def figures_for(residents: int = DEFAULT_RESIDENTS) -> Figures:
    if residents < 100:
        raise ValueError("seed-scale needs at least 100 residents")
    share = residents / DEFAULT_RESIDENTS

    def scaled(figure: int, least: int = 0) -> int:
        return max(least, round(figure * share))

    communities = scaled(10, least=3)
    return Figures(
        residents=residents,
        communities=communities,
        grids_per_community=scaled(30, least=1),
        stations=max(communities, scaled(20)),
        requests=scaled(150_000),
        bookings=scaled(200_000),
        audit_events=scaled(300_000),
        backlog_demo_grids=scaled(1_500),
        backlog_demo_community=scaled(2_200),
        backlog_city=scaled(6_000),
        staff_per_community=2,
        volunteers_per_community=scaled(6, least=1),
        nurses_per_station=2,
        activities=scaled(3_000, least=1),
        activity_signups=scaled(60_000, least=10),
        aid_posts=scaled(6_000, least=20),
        aid_matches=scaled(3_000, least=10),
        volunteers=scaled(3_000, least=10),
        callouts=scaled(40, least=3),
    )
