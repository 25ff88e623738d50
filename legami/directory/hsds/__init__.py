"""Open Referral HSDS 3.x interchange for the directory.

- mapping.py: what both directions agree on: ids, field rules, schema validation;
- reader.py: any HSDS file (nested JSON, paginated list, tabular data package, a folder such as
  an export) into one flat bundle of records;
- importer.py (+ taxonomy_import.py, activity_import.py): a bundle into organisations, places,
  activities, schedules, costs and terms, all or nothing, idempotent by HSDS id;
- exporter.py: the same objects back into HSDS documents, for files and for the API;
- api.py / urls.py: the public read-only HSDS API under /api/hsds/.

Whatever HSDS holds that Legami does not model is kept in the `extra` JSON of the nearest
object and written back on export; the key "_legami" in `extra` holds Legami's own notes
(e.g. the HSDS fields of a cost option, which has no `extra`) and is never exported as is.
"""
