"""Reading qualitative evidence: theme counts (one grouped query) and the records of a theme,
within the evidence a user may read (`policy.scope(user, "evidence", ...)`)."""

from django.db.models import Count, Q, QuerySet

from ..models.evidence import Code, Evidence


def evidence_filtered(
    evidence: QuerySet[Evidence], programme_id: int | None, code_id: int | None
) -> QuerySet[Evidence]:
    records = evidence.select_related("programme").prefetch_related("codes")
    if programme_id:
        records = records.filter(programme_id=programme_id)
    if code_id:
        records = records.filter(codes=code_id)
    return records


def theme_counts(evidence: QuerySet[Evidence], programme_id: int | None) -> list[Code]:
    """Every code with how many of `evidence` carry it (in the programme, when one is chosen)."""
    within = Q(evidence__in=evidence.values("pk"))
    if programme_id:
        within &= Q(evidence__programme_id=programme_id)
    return list(
        Code.objects.annotate(records=Count("evidence", filter=within, distinct=True)).order_by(
            "-records", "name"
        )
    )
