"""Writing files: every format atomically and reproducibly into the output directory (Calibre for AZW3),
and the report of what was written. Takes a Package, returns Artifacts."""
