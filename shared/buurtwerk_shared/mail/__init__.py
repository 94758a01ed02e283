"""E-mail from a service's own mail outbox: written in the transaction of the change that causes
it, sent over SMTP by a background task, at least once, retried with back-off; a hard bounce
(5xx) marks the address so that no further mail is queued for it."""
