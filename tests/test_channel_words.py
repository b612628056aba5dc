"""Every channel a record can come in through has words wherever channels are named to people: a channel
added to portal/channels.py without them would show a raw code, or fail the page."""

import pytest

from portal.channels import CHANNELS
from portal.health.words import BOOKING_CHANNEL_LABELS
from portal.requests.words import REQUEST_CHANNEL_LABELS
from portal.services.stats.channels import CHANNEL_WORDS


@pytest.mark.parametrize(
    "words", [CHANNEL_WORDS, REQUEST_CHANNEL_LABELS, BOOKING_CHANNEL_LABELS], ids=["stats", "requests", "bookings"]
)
def test_every_channel_has_words(words):
    assert set(words) == set(CHANNELS)
