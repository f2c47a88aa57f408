"""Per-language words and rules: the book's own words, text direction, print-only lines.
Tables only; every stage reads them."""
