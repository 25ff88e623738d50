from allauth.account.adapter import DefaultAccountAdapter

from .models import Role


class AccountAdapter(DefaultAccountAdapter):
    """Anyone may open a citizen account; every other role is given by an administrator."""

    def save_user(self, request, user, form, commit=True):
        user.role = Role.CITIZEN
        return super().save_user(request, user, form, commit=commit)
