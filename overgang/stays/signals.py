"""What the stays tell other parts of Overgang, without knowing them."""

from django.dispatch import Signal

# A user sent a message on a stay (not one received from another system): `message`. Sent
# inside the recording's transaction, so that a receiver that raises undoes the recording
# (the exchange refuses a message whose standard document would not be valid).
message_sent = Signal()

# The hospital recorded an aid need on a stay (`need`, `actor`), inside the recording's
# transaction: the home-ventilation agreement invites the municipality (O11).
aid_need_recorded = Signal()

# A stay ended with the patient alive (`stay`, `actor`, `at`), inside the writer's
# transaction: the home-ventilation agreement opens the hospital's follow-up (O11).
stay_ended = Signal()
