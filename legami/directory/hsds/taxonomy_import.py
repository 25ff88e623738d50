"""HSDS taxonomies and taxonomy terms into Legami's vocabularies: the part of the importer that
runs first, so that services can be linked to their terms (see importer.py for the rules)."""

from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import Taxonomy, TaxonomyTerm
from ..services import vocabulary_changed
from . import mapping as m

TERM_KEYS = {
    "id",
    "name",
    "code",
    "description",
    "term_uri",
    "taxonomy",
    "taxonomy_id",
    "parent_id",
}


class TaxonomyImport:
    """Mixed into the importer, whose records, caches and field rules it uses."""

    def _taxonomy(self, ident, record) -> Taxonomy:
        data = record.data
        taxonomy = Taxonomy.objects.filter(hsds_id=ident).first()
        before = m.snapshot(taxonomy)
        name = m.as_text(data["name"])
        taxonomy = taxonomy or Taxonomy(hsds_id=ident, code=self._taxonomy_code(name))
        taxonomy.name = name
        for key in ("description", "version"):
            if key in data:
                setattr(taxonomy, key, m.as_text(data[key]))
        if "uri" in data:
            uri = m.as_text(data["uri"])
            taxonomy.uri = uri if not uri or m.valid(URLValidator(), uri, 200) else ""
            if uri and not taxonomy.uri:
                self.warn(
                    record.source, _("field “uri”: “%(value)s” is not valid; not kept."), value=uri
                )
        if data.get("metadata"):
            self.warn(record.source, _("taxonomy metadata is not kept (no field for it)."))
        self._save(taxonomy, "taxonomies", record.source, before)
        return taxonomy

    @staticmethod
    def _taxonomy_code(name: str) -> str:
        base = slugify(name)[:50] or "hsds"
        code, number = base, 2
        while Taxonomy.objects.filter(code=code).exists():
            code, number = f"{base}-{number}", number + 1
        return code

    def _term_taxonomy(self, data, source) -> Taxonomy:
        for key in ("taxonomy_id", "_taxonomy_detail_id"):
            ident = m.as_uuid(data.get(key))
            if ident:
                found = self.taxonomies.get(ident) or Taxonomy.objects.filter(hsds_id=ident).first()
                if found:
                    return found
        if data.get("taxonomy_id"):
            self.warn(
                source,
                _("field “taxonomy_id”: no taxonomy has the id %(id)s."),
                id=data["taxonomy_id"],
            )
        label = m.as_text(data.get("taxonomy")) or "HSDS"
        found = Taxonomy.objects.filter(
            Q(hsds_id=m.stable_id("taxonomy", label)) | Q(code=slugify(label)) | Q(name=label)
        ).first()
        if found is None:
            found = Taxonomy(
                hsds_id=m.stable_id("taxonomy", label),
                name=label[:200],
                code=self._taxonomy_code(label),
            )
            self._save(found, "taxonomies", source, None)
        return found

    def _terms(self) -> None:
        pending = {}
        for ident, record in self.records["taxonomy_term"].items():
            data = record.data
            term = TaxonomyTerm.objects.select_related("taxonomy").filter(hsds_id=ident).first()
            before = m.snapshot(term)
            term = term or TaxonomyTerm(
                hsds_id=ident, taxonomy=self._term_taxonomy(data, record.source)
            )
            extra = dict(term.extra)
            term.name = m.as_text(data["name"])
            if "code" in data or term.pk is None:
                term.code = self._term_code(term, m.as_text(data.get("code")), ident, record)
            if "description" in data:
                term.description = m.as_text(data["description"], strip=False)
            self._checked(
                term, extra, data, "term_uri", "term_uri", URLValidator(), 200, record.source
            )
            if "taxonomy" in data:
                if m.as_text(data["taxonomy"]) == term.taxonomy.name:
                    extra.pop("taxonomy", None)
                else:
                    extra["taxonomy"] = data["taxonomy"]
            term.extra = self._rest(extra, data, TERM_KEYS)
            pending[ident] = (term, before, record)
            self.terms[ident] = term
        saved: set[str] = set()

        def save(ident, chain=()):
            if ident in saved:
                return
            term, before, record = pending[ident]
            if "parent_id" in record.data:
                self._term_parent(term, record, pending, chain, save)
            self._save(term, "taxonomy_terms", record.source, before)
            saved.add(ident)

        for ident in pending:
            save(ident)
        if pending:
            vocabulary_changed()

    def _term_code(self, term, code, ident, record) -> str:
        code = code or term.code or slugify(term.name)[:90] or ident[:8]
        clash = TaxonomyTerm.objects.filter(taxonomy=term.taxonomy, code=code)
        if term.pk:
            clash = clash.exclude(pk=term.pk)
        if clash.exists():
            self.warn(
                record.source,
                _("code “%(code)s” is taken in this taxonomy; saved as “%(new)s”."),
                code=code,
                new=f"{code}-{ident[:8]}",
            )
            code = f"{code}-{ident[:8]}"
        return code

    def _term_parent(self, term, record, pending, chain, save) -> None:
        raw = record.data["parent_id"]
        ident = m.as_uuid(raw)
        parent = None
        if ident in pending and ident not in chain and ident != str(term.hsds_id):
            save(ident, (*chain, str(term.hsds_id)))
            parent = pending[ident][0]
        elif ident and ident not in pending:
            parent = TaxonomyTerm.objects.filter(hsds_id=ident).first()
        if parent is not None and parent.taxonomy_id == term.taxonomy_id:
            term.parent = parent
            term.extra.pop("parent_id", None)
        else:
            term.parent = None
            if raw:
                term.extra["parent_id"] = raw
                self.warn(
                    record.source,
                    _(
                        "field “parent_id”: no term of the same taxonomy has "
                        "the id %(id)s; kept as HSDS data."
                    ),
                    id=raw,
                )
