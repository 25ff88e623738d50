"""The one error type of a service's refusals that are not about a field.

Services raise three kinds of refusal, each mapped once for HTML and once for the API:

- ``django.core.exceptions.ValidationError``: a field is wrong (the form shows it beside the
  field; the API answers 400 naming it);
- ``django.core.exceptions.PermissionDenied`` / ``django.http.Http404``: `by` may not do this
  (wrong role: 403) or the object is outside their scope (404, as if it did not exist);
- ``Refusal``: the request is well formed and allowed, but the state of things forbids it
  (the referral is closed, the session is full, the link was used). Pages show the message and
  change nothing; the API answers 409 Conflict.
"""


class Refusal(Exception):
    status_code = 409

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    @property
    def messages(self) -> list[str]:
        return [str(self.message)]

    def __str__(self):
        return str(self.message)
