"""Cancellation that is not lost on the way.

On Python 3.11 a task's cancellation travels as a `CancelledError` raised where the task waits;
if it waits on another task or on a library call that turns that error into another one, the
cancellation arrives as an ordinary exception. asyncpg does this: a transaction cancelled while
its connection is gone raises `InterfaceError` from its rollback. A retry loop that catches
`Exception` would then retry for ever in a task that was asked to stop. Every such loop calls
`raise_if_cancelled` first.
"""

import asyncio


def raise_if_cancelled(exc: BaseException) -> None:
    """Raise `CancelledError` (from `exc`) if the current task has been asked to cancel."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError from exc
