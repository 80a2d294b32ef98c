"""What the stays tell other parts of Overgang, without knowing them."""

from django.dispatch import Signal

# A user sent a message on a stay (not one received from another system): `message`. Sent
# inside the recording's transaction, so that a receiver that raises undoes the recording
# (the exchange refuses a message whose standard document would not be valid).
message_sent = Signal()
