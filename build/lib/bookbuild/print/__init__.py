"""The print edition: the same converted chapters typeset as a print-ready PDF
with Typst, the PDF inspected, and its pages handed back to the EPUB as a page
list (``source`` -> ``document`` -> ``engine`` -> ``layout`` -> ``pagelist``)."""
