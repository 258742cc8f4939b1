"""What the activities' services refuse, with the French message a person reads."""

from django.utils.functional import Promise


class RegistrationRefusedError(Exception):
    """A request, cancellation or offer answer the rules do not allow: ``code``
    for tests and the journal, ``message`` for the person (next to the field
    ``field`` when there is one)."""

    def __init__(self, code: str, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.field = field


class ActivityStateError(Exception):
    """The activity is no longer in a state that allows this action (someone
    else published, closed or cancelled it first)."""

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
