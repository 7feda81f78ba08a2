"""Alert messages beyond mail: causes, rules, channels, message text and the delivery outbox."""
