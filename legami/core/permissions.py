"""Permission machinery shared by every module.

Each module declares, in its own permissions.py, a `Policy`: its actions and, for each, the
roles that may perform it and (optionally) the scope of objects it applies to. Views, the API
and the admin ask the same policy, so a page and its endpoint cannot disagree:

- a role not named for the action gets 403 (``PermissionDenied``);
- an object outside the user's scope is 404, exactly as if it did not exist, so ids
  cannot be probed;
- an anonymous visitor on a private action is sent to sign in.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from rest_framework import permissions as drf_permissions

from .roles import ANONYMOUS, SUPERUSER, effective_role

Scope = Callable[[object, QuerySet], QuerySet]


@dataclass(frozen=True)
class Action:
    """Who may do one thing: `roles` (which may name "anonymous" and "citizen" like any
    other), or anyone at all when `public`. The superuser may do every staff action unless
    `superuser` is False: asking help for oneself is a citizen's act, not an administrator's."""

    roles: frozenset[str] = frozenset()
    public: bool = False
    scope: Scope | None = None
    description: str = ""
    superuser: bool = True

    def allows_role(self, role: str) -> bool:
        if self.public:
            return True
        if role == SUPERUSER:
            return self.superuser
        return role in self.roles


def anyone(*, scope: Scope | None = None, description: str = "") -> Action:
    return Action(public=True, scope=scope, description=description)


def only(
    *roles: str, scope: Scope | None = None, description: str = "", superuser: bool = True
) -> Action:
    return Action(
        roles=frozenset(roles), scope=scope, description=description, superuser=superuser
    )


class Policy:
    def __init__(self, module: str, actions: dict[str, Action]):
        self.module = module
        self.actions = actions

    def __getitem__(self, name: str) -> Action:
        try:
            return self.actions[name]
        except KeyError:
            raise KeyError(f"{self.module} declares no action {name!r}") from None

    def allows(self, user, action: str) -> bool:
        return self[action].allows_role(effective_role(user))

    def scope(self, user, action: str, queryset: QuerySet) -> QuerySet:
        """The objects of `queryset` that `user` may `action`: the one rule for lists and
        single objects alike."""
        rule = self[action]
        if not rule.allows_role(effective_role(user)):
            return queryset.none()
        if rule.scope is None or effective_role(user) == SUPERUSER:
            return queryset
        return rule.scope(user, queryset)

    def can(self, user, action: str, obj) -> bool:
        queryset = type(obj)._default_manager.filter(pk=obj.pk)
        return self.scope(user, action, queryset).exists()

    def authorize(self, by, action: str, obj=None) -> None:
        """The check every write service makes first: `by` may do `action` (on `obj`, when
        the action has a scope), or PermissionDenied (403) for a wrong role and Http404 for an
        object outside their scope. `by=None` is the system itself (jobs, the demo loader)."""
        if by is None:
            return
        role = effective_role(by)
        rule = self[action]
        if not rule.allows_role(role):
            raise PermissionDenied
        scoped = obj is not None and rule.scope is not None and role != SUPERUSER
        if scoped and (obj.pk is None or not self.can(by, action, obj)):
            raise Http404

    def get_object_or_404(self, user, action: str, queryset: QuerySet, **lookup):
        """Fetch one object for `action`: 403 for a wrong role, 404 if out of scope."""
        if not self.allows(user, action):
            raise PermissionDenied
        try:
            return self.scope(user, action, queryset).get(**lookup)
        except (queryset.model.DoesNotExist, ValueError, TypeError):
            raise Http404 from None

    def roles_for(self, action: str) -> Iterable[str]:
        return self[action].roles


def permission_required(policy: Policy, action: str):
    """View decorator: anonymous visitors sign in first, wrong roles get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            rule = policy[action]
            if not request.user.is_authenticated and not rule.allows_role(ANONYMOUS):
                return redirect_to_login(request.get_full_path())
            if not policy.allows(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.legami_policy = (policy, action)
        return wrapper

    return decorator


class PolicyPermission(drf_permissions.BasePermission):
    """DRF permission reading the same Policy: set `policy` and `policy_actions`
    (a mapping from DRF action, e.g. "list" or "create", to the policy's action)."""

    def has_permission(self, request, view):
        action = view.policy_actions.get(getattr(view, "action", None) or request.method.lower())
        if action is None:
            return False
        return view.policy.allows(request.user, action)
