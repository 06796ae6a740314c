"""Pages to look at what lit found: one document reviewed (``lit show``), one graph at a
glance (``lit report``). Each is a single HTML file that opens offline: styles, scripts and
plots are inline, nothing is fetched."""
