"""Self-service by link: mail to volunteers (reminders, invitations to fill a gap, "my shifts"),
the links in them, and the pages those links open. Volunteers have no account: a link is their
permission for one action, so it is random, single-use, expiring, revocable and audited."""
