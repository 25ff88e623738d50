"""Activities from a spreadsheet: a downloadable template (`template`), a reader for XLSX and
CSV files (`reader`), how each cell is read (`parsers`) and which column it is (`columns`), the
few queries that resolve names (`lookups`), the checks of each row (`rows`), the bulk writes
(`commit`) and the import service with its dry run and all-or-nothing commit (`importer`)."""
