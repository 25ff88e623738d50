"""The vocabularies (domains, needs, target groups): their terms, and the version the search
page's cached copy is keyed by."""

import uuid

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from legami.core.audit import audit

from .. import text
from ..models import Taxonomy, TaxonomyTerm
from ..permissions import policy

# The cached vocabulary (queries.cached_vocabulary) is keyed by this version.
VOCABULARY_VERSION_KEY = "directory:vocabulary:version"


def vocabulary_changed() -> None:
    """A new version of the vocabulary: the search page stops reading the cached one. Now, so
    that this request sees its own change, and again after the commit, so that a page that
    read the old terms meanwhile cannot have cached them under the new version."""

    def bump():
        cache.set(VOCABULARY_VERSION_KEY, uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)


def check_term(*, taxonomy: Taxonomy, code: str, parent=None, term=None) -> str:
    """A term's code, normalised, once it is free in its taxonomy and the parent fits; the
    messages name the field."""
    code = text.fold(code).strip().replace(" ", "-")
    if not code:
        raise ValidationError({"code": _("A term needs a code.")})
    clash = TaxonomyTerm.objects.filter(taxonomy=taxonomy, code=code)
    if term is not None and term.pk is not None:
        clash = clash.exclude(pk=term.pk)
    if clash.exists():
        raise ValidationError({"code": _("This taxonomy already has a term with this code.")})
    if parent is not None and parent.taxonomy_id != taxonomy.pk:
        raise ValidationError({"parent": _("The parent term belongs to another taxonomy.")})
    if parent is not None and term is not None and term.pk is not None and parent.pk == term.pk:
        raise ValidationError({"parent": _("A term cannot be its own parent.")})
    return code


@transaction.atomic
def taxonomy_term_save(
    *,
    by,
    taxonomy: Taxonomy,
    code: str,
    name: str,
    name_en: str = "",
    name_fr: str = "",
    description: str = "",
    parent=None,
    term: TaxonomyTerm | None = None,
) -> TaxonomyTerm:
    policy.authorize(by, "manage_taxonomy")
    code = check_term(taxonomy=taxonomy, code=code, parent=parent, term=term)
    term = term or TaxonomyTerm(taxonomy=taxonomy)
    for key, value in {
        "code": code,
        "name": name,
        "name_en": name_en,
        "name_fr": name_fr,
        "description": description,
        "parent": parent,
    }.items():
        setattr(term, key, value)
    created = term.pk is None
    term.full_clean()
    term.save()
    audit(by=by, action="create" if created else "update", obj=term)
    vocabulary_changed()
    return term
