"""One question per page: a flow keeps its answers in the session, so Back never loses them.

A flow is a named, ordered list of steps. Each step's view saves its answer with `save()` and
redirects to `next_url()`. While the person is changing an answer from the check-your-answers
page, `next_url()` goes straight back there.
"""

from flask import session, url_for


class Flow:
    def __init__(self, key: str, steps: list[str], endpoint: str, check_endpoint: str):
        self.key = f"flow:{key}"
        self.steps = steps
        self.endpoint = endpoint
        self.check_endpoint = check_endpoint

    # -- state ---------------------------------------------------------------------------
    def _state(self) -> dict:
        return session.get(self.key) or {"answers": {}, "context": {}}

    def _store(self, state: dict) -> None:
        session[self.key] = state
        session.modified = True

    def start(self, **context) -> None:
        """Begin afresh. Context (say, which grid a poster points at) is kept beside the answers."""
        self._store({"answers": {}, "context": context})

    def active(self) -> bool:
        return self.key in session

    @property
    def context(self) -> dict:
        return self._state()["context"]

    @property
    def answers(self) -> dict:
        return self._state()["answers"]

    def answer(self, step: str, default=None):
        return self.answers.get(step, default)

    def save(self, step: str, value) -> None:
        state = self._state()
        state["answers"][step] = value
        self._store(state)

    def set_context(self, **values) -> None:
        state = self._state()
        state["context"].update(values)
        self._store(state)

    def clear(self) -> None:
        session.pop(self.key, None)

    # -- navigation ----------------------------------------------------------------------
    def first_unanswered(self) -> str | None:
        return next((s for s in self.steps if s not in self.answers), None)

    def complete(self) -> bool:
        return self.first_unanswered() is None

    def step_url(self, step: str, changing: bool = False) -> str:
        return url_for(self.endpoint, step=step, **({"change": 1} if changing else {}))

    def check_url(self) -> str:
        return url_for(self.check_endpoint)

    def next_url(self, step: str, changing: bool = False) -> str:
        """Where to go after saving `step`: the next question in order, or the check page."""
        index = self.steps.index(step)
        if changing or index + 1 == len(self.steps):
            return self.check_url()
        return self.step_url(self.steps[index + 1])

    def back_url(self, step: str, changing: bool = False, start_url: str | None = None) -> str:
        if changing:
            return self.check_url()
        index = self.steps.index(step)
        if index == 0:
            return start_url or self.step_url(step)
        return self.step_url(self.steps[index - 1])

    def may_visit(self, step: str) -> bool:
        """A step may be visited once every step before it has an answer (no skipping ahead by URL)."""
        if step not in self.steps:
            return False
        return all(s in self.answers for s in self.steps[: self.steps.index(step)])
