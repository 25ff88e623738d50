from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render


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
    """One object from a detail query, or 404 (whatever its model: a list of models here once
    forgot decisions and members, and a decision removed in another tab became a 500)."""
    try:
        return query(pk)
    except ObjectDoesNotExist:
        raise Http404 from None
