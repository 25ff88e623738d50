"""Whose record is whose: the link worker's check of a possible duplicate (merge, or "not the
same person"), staff linking the citizen account a person names, and a citizen proving a
record is theirs with a one-time code. Thin: the rules are in services/identity.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from legami.core import ratelimit
from legami.core.audit import audit
from legami.core.permissions import permission_required

from .. import queries, services
from ..disclosure import Disclosure
from ..forms import LinkAccountForm, MergeForm
from ..forms.public import AccountLinkCodeForm, AccountLinkRequestForm
from ..models import Beneficiary, Referral
from ..permissions import policy
from ..queries import cases as queries_cases

LINK_ASKS = 5  # code requests per connection per hour
LINK_TRIES = 20  # codes typed per connection per hour (each code also allows only 5)

# The same words whether or not a record matched: the page must not tell.
SAME_ANSWER = gettext_lazy(
    "If we hold a record with these details and an e-mail address, we have sent a code to that "
    "address. It is valid for 15 minutes."
)


def _error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _flagged(request, pk) -> Referral:
    """A referral whose person is flagged as a possible duplicate, for a link worker of the
    territory: 403 for other roles, 404 when out of scope or not flagged."""
    referral = queries.referral_detail(request.user, pk, action="work")
    if not Disclosure(request.user).works_on(referral):
        raise PermissionDenied
    if referral.beneficiary.possible_duplicate_of_id is None:
        raise Http404
    return referral


# --- link worker: possible duplicates ----------------------------------------------------------
@require_GET
@permission_required(policy, "work")
def duplicate(request, pk):
    referral = _flagged(request, pk)
    comparison = queries_cases.possible_duplicate(referral)
    if comparison is None:
        raise Http404
    audit(
        by=request.user,
        action="view",
        obj=comparison["record"],
        purpose="possible duplicate: comparison before merging",
    )
    return render(
        request,
        "referrals/cases/duplicate.html",
        {"referral": referral, "person": referral.beneficiary, **comparison},
    )


@require_POST
@permission_required(policy, "work")
def duplicate_merge(request, pk):
    referral = _flagged(request, pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the details to keep from the list."))
        return redirect("referrals:duplicate", pk=referral.pk)
    keep = Beneficiary.objects.get(pk=referral.beneficiary.possible_duplicate_of_id)
    try:
        services.beneficiary_merge(
            by=request.user,
            keep=keep,
            duplicate=referral.beneficiary,
            take=form.cleaned_data["take"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("referrals:duplicate", pk=referral.pk)
    messages.success(
        request, _("The two records are now one: every request of the person is on it.")
    )
    return redirect("referrals:detail", pk=referral.pk)


@require_POST
@permission_required(policy, "work")
def duplicate_dismiss(request, pk):
    referral = _flagged(request, pk)
    try:
        services.beneficiary_duplicate_dismiss(by=request.user, beneficiary=referral.beneficiary)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Noted: not the same person. Both records stay as they are."))
    return redirect("referrals:detail", pk=referral.pk)


# --- staff: link a citizen account --------------------------------------------------------------
@require_POST
@permission_required(policy, "link_account")
def link_account(request, pk):
    referral = queries.referral_detail(request.user, pk, action="link_account")
    form = LinkAccountForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the e-mail of the person's account."))
        return redirect("referrals:detail", pk=referral.pk)
    try:
        services.beneficiary_link_account(
            by=request.user, beneficiary=referral.beneficiary, email=form.cleaned_data["email"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("The person now sees their record in their account, under My data.")
        )
    return redirect("referrals:detail", pk=referral.pk)


# --- citizen: prove a record is theirs -----------------------------------------------------------
@require_http_methods(["GET", "POST"])
@permission_required(policy, "own_data")
def my_record_link(request):
    form = AccountLinkRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if ratelimit.exceeded(request, {"account-link:asked": LINK_ASKS}):
            messages.error(
                request,
                _("You have asked many times in the last hour: please try again later."),
            )
            status = 429
        elif form.is_valid():
            ratelimit.hit("account-link:asked", request)
            services.account_link_request(
                by=request.user,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                birth_date=form.cleaned_data["birth_date"],
            )
            messages.info(request, SAME_ANSWER)
            return redirect(reverse("referrals:my_record_link") + "#code")
    return render(
        request,
        "referrals/public/my_record_link.html",
        {"form": form, "code_form": AccountLinkCodeForm()},
        status=status,
    )


@require_POST
@permission_required(policy, "own_data")
def my_record_code(request):
    back = reverse("referrals:my_record_link") + "#code"
    if ratelimit.exceeded(request, {"account-link:tried": LINK_TRIES}):
        messages.error(request, _("Too many codes typed in the last hour: please try later."))
        return redirect(back)
    ratelimit.hit("account-link:tried", request)
    form = AccountLinkCodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type the code we sent you."))
        return redirect(back)
    try:
        _person, linked = services.account_link_confirm(
            by=request.user, code=form.cleaned_data["code"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(back)
    messages.success(
        request,
        _("Thank you: your record is now in your account.")
        if linked
        else _(
            "Thank you: the code is right. Your account already holds a record: your link "
            "worker will join the two after a check."
        ),
    )
    return redirect("referrals:my_data")
