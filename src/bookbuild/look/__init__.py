"""How the book looks: theme, the book's stylesheet and fonts, the cover.
Takes a BookConfig, returns a Look and a Cover."""
