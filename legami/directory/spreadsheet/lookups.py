"""What a spreadsheet names, found with a few queries for the whole file: the organisations,
comuni and classification terms its cells refer to, and the resolvers that turn one such cell
into its object or raise `CellError` with what to write instead."""

import re

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from legami.core.roles import PROVIDER, TERRITORY_ADMIN
from legami.network.models import Organisation
from legami.network.queries import organisations_editable
from legami.territory.models import Comune
from legami.territory.queries import comuni_in_scope

from ..models import Taxonomy, TaxonomyTerm
from . import parsers

TAXONOMY_COLUMNS = (
    (Taxonomy.DOMAIN, "domains"),
    (Taxonomy.NEED, "needs"),
    (Taxonomy.TARGET_GROUP, "target_groups"),
)
_TAX_CODE = re.compile(r"^(?:\d{11}|[A-Z0-9]{16})$")
_NAME_WITH_PROVINCE = re.compile(r"^(?P<name>.+?)\s*\((?P<abbr>[A-Za-z]{2})\)$")


class Lookups:
    """Mixed into importer._Import, whose user, role, table and value() it uses."""

    def load(self) -> None:
        texts = {key: set() for key in ("organisation", "comune")}
        for _number, cells in self.table.rows:
            for key in texts:
                value = parsers.text(self.value(cells, key))
                if value:
                    texts[key].add(value)
        self.load_organisations(texts["organisation"])
        self.load_comuni(texts["comune"])
        self.terms: dict[str, dict[str, TaxonomyTerm]] = {code: {} for code, _k in TAXONOMY_COLUMNS}
        terms = TaxonomyTerm.objects.filter(taxonomy__code__in=list(self.terms)).select_related(
            "taxonomy"
        )
        terms = sorted(terms, key=lambda t: (t.taxonomy.code, t.pk))
        for attribute in ("code", "name", "name_en"):  # codes win over names
            for term in terms:
                label = getattr(term, attribute)
                if label:
                    self.terms[term.taxonomy.code].setdefault(parsers.fold_name(label), term)

    def load_organisations(self, texts: set[str]) -> None:
        codes = {t.replace(" ", "").upper() for t in texts}
        codes = {c[2:] if c.startswith("IT") and len(c) == 13 else c for c in codes}
        codes = {c for c in codes if _TAX_CODE.match(c)}
        names = {" ".join(t.split()).lower() for t in texts}
        self.organisations_by_code: dict[str, Organisation] = {}
        self.organisations_by_name: dict[str, list[Organisation]] = {}
        found = []
        if texts:
            found = list(
                Organisation.objects.annotate(lowered=Lower("name"))
                .filter(Q(lowered__in=names) | Q(tax_code__in=codes) | Q(vat_number__in=codes))
                .only("pk", "name", "tax_code", "vat_number")
            )
        for organisation in found:
            for code in (organisation.tax_code, organisation.vat_number):
                if code:
                    self.organisations_by_code[code] = organisation
            self.organisations_by_name.setdefault(parsers.fold_name(organisation.name), []).append(
                organisation
            )
        if self.system or not found:
            self.editable = {o.pk for o in found}
        else:
            self.editable = set(
                organisations_editable(
                    self.by, Organisation.objects.filter(pk__in=[o.pk for o in found])
                ).values_list("pk", flat=True)
            )
        self._default_organisation = ...

    def default_organisation(self) -> Organisation | None:
        """A provider with exactly one organisation may leave the column empty."""
        if self._default_organisation is ...:
            self._default_organisation = None
            if self.role == PROVIDER:
                mine = list(organisations_editable(self.by, Organisation.objects.all())[:2])
                if len(mine) == 1:
                    self._default_organisation = mine[0]
                    self.editable.add(mine[0].pk)
        return self._default_organisation

    def resolve_organisation(self, value) -> Organisation:
        """The organisation a cell names, by codice fiscale (or partita IVA) or by name."""
        name = parsers.text(value)
        if not name:
            organisation = self.default_organisation()
            if organisation is None:
                raise parsers.CellError(_("This field is required."))
            return organisation
        code = name.replace(" ", "").upper()
        code = code[2:] if code.startswith("IT") and len(code) == 13 else code
        organisation = self.organisations_by_code.get(code)
        if organisation is None:
            matches = self.organisations_by_name.get(parsers.fold_name(name), [])
            if not matches:
                raise parsers.CellError(
                    _(
                        "No organisation in the network is called or has the codice fiscale "
                        "“%(text)s”: add it to the network of actors first."
                    )
                    % {"text": name}
                )
            if len(matches) > 1:
                raise parsers.CellError(
                    _(
                        "More than one organisation is called “%(text)s”: write its codice "
                        "fiscale instead."
                    )
                    % {"text": name}
                )
            organisation = matches[0]
        if organisation.pk not in self.editable:
            # One row among many: a problem in the report, not a 404 for the whole file.
            raise parsers.CellError(_("You cannot publish listings for this organisation."))
        return organisation

    def load_comuni(self, texts: set[str]) -> None:
        self.comuni_by_code: dict[str, Comune] = {}
        self.comuni_by_name: dict[str, list[Comune]] = {}
        self.in_scope: set[int] | None = None
        if not texts:
            return
        for comune in Comune.objects.select_related("province").only(
            "pk", "name", "istat_code", "province__abbreviation"
        ):
            self.comuni_by_code[comune.istat_code] = comune
            self.comuni_by_name.setdefault(parsers.fold_name(comune.name), []).append(comune)
        if self.role == TERRITORY_ADMIN:
            self.in_scope = set(comuni_in_scope(self.by).values_list("pk", flat=True))

    def resolve_comune(self, value) -> Comune | None:
        """A comune as ComuneField reads it: ISTAT code, name, or "Name (PR)"."""
        name = parsers.text(value)
        if not name:
            return None
        if name.isdigit():
            matches = [self.comuni_by_code[c] for c in [name.zfill(6)] if c in self.comuni_by_code]
        elif match := _NAME_WITH_PROVINCE.match(name):
            abbreviation = match["abbr"].upper()
            matches = [
                c
                for c in self.comuni_by_name.get(parsers.fold_name(match["name"]), [])
                if c.province.abbreviation.upper() == abbreviation
            ]
        else:
            matches = self.comuni_by_name.get(parsers.fold_name(name), [])
        if not matches:
            raise parsers.CellError(
                _("No comune is called or has the ISTAT code “%(text)s”.") % {"text": name}
            )
        if len(matches) > 1:
            raise parsers.CellError(
                _("More than one comune is called “%(text)s”: add the province, e.g. %(example)s.")
                % {"text": name, "example": str(matches[0])}
            )
        comune = matches[0]
        if self.in_scope is not None and comune.pk not in self.in_scope:
            raise parsers.CellError(_("This comune is outside your territory."))
        return comune

    def resolve_terms(self, value, taxonomy: str) -> list[TaxonomyTerm]:
        terms, unknown = [], []
        for item in parsers.items(value):
            term = self.terms[taxonomy].get(parsers.fold_name(item))
            if term is None:
                unknown.append(item)
            elif term not in terms:
                terms.append(term)
        if unknown:
            raise parsers.CellError(
                ngettext(
                    "“%(terms)s” is not in this classification: use a code or a name listed in "
                    "the “Istruzioni” sheet of the template.",
                    "“%(terms)s” are not in this classification: use codes or names listed in "
                    "the “Istruzioni” sheet of the template.",
                    len(unknown),
                )
                % {"terms": "”, “".join(unknown)}
            )
        return terms
