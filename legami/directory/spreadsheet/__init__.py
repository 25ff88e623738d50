"""Activities from a spreadsheet: a downloadable template (`template`), a reader for XLSX and
CSV files (`reader`), the columns and how each cell is read (`columns`), and the import service
with its dry run and all-or-nothing commit (`importer`)."""
