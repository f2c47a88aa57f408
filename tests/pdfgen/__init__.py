"""Generated books for import round trips: the truth (``model``), its PDF set
in Typst (``typstbook``), its text extraction in any layout (``textbook``),
and the comparison of an imported book with the truth (``compare``)."""
