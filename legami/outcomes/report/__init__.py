"""The impact report written out: `pdf` (WeasyPrint) and `xlsx` (openpyxl), from
`queries.Impact`."""
