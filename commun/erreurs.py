"""The refusal of an action, shared by every app."""


class ActionRefusee(Exception):
    """A refused action: `messages` are French and say what and where; nothing was written."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages
