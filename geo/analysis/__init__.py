"""Analyses across labels, read-only: labels crossed, sites outside a label, distance to the nearest site, gaps
ranked. They read the store through geo.data and write nothing."""
