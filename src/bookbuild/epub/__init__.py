"""The EPUB package: OPF, nav, NCX and the documents, from the converted chapters.
Takes ConvertedChapters and the Look, returns a Package."""
