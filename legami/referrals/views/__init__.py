"""Pages of social prescribing, one module per audience: cases (prescriber and link worker),
identity (duplicates and account links), documents (PDFs, DPO, research) and public (citizen,
provider, territory admin)."""
