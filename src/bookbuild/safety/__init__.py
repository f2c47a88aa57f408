"""Bounds on what a hostile book can cause: the limits of every run, files read only inside the book,
YAML read strictly, temporaries a kill cannot strand, the active-content policy. Read by every stage."""
