from django.http import Http404
from django.shortcuts import render

from ..models import GovernanceBody, Meeting, Organisation, Programme


def form_page(request, form, *, title, back_url, submit_label=None, intro=""):
    return render(
        request,
        "network/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": back_url,
            "submit_label": submit_label,
            "intro": intro,
        },
    )


def get_or_404(query, pk):
    """One object from a detail query, or 404."""
    try:
        return query(pk)
    except (
        Organisation.DoesNotExist,
        Programme.DoesNotExist,
        GovernanceBody.DoesNotExist,
        Meeting.DoesNotExist,
    ):
        raise Http404 from None
