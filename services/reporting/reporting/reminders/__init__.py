"""HACCP reminders: from the check definitions, the kitchens' days in use and the recorded checks,
reporting knows every due occurrence; it reminds when one becomes due, escalates a required one
not closed within its grace time, and keeps the open reminders per kitchen."""
