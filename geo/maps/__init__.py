"""Folium maps at every scale: the shared frame of every map (`base`: offline assets, legend, place names,
static HTML), the commune and site layers, the département, région, France and column maps, the palette and
the GeoJSON encoding they share."""

from geo.maps.base import (
                           BASEMAPS,
                           OfflineError,
                           add_basemap,
                           add_highlight,
                           add_legend,
                           add_place_names,
                           legend_html,
                           localize,
                           new_map,
                           standalone_html,
                           text,
)

__all__ = ["BASEMAPS", "OfflineError", "add_basemap", "add_highlight", "add_legend", "add_place_names", "legend_html",
           "localize", "new_map", "standalone_html", "text"]
