"""Charts and their style: one palette, one signature, byte-stable files.

:mod:`lfr_analysis.plotting.style` applies the house style (:func:`use_style`), labels a
chart (:func:`decorate`) and saves figures (:func:`savefig`);
:mod:`lfr_analysis.plotting.charts` holds the analysis charts,
:mod:`~lfr_analysis.plotting.maps` the maps and :mod:`~lfr_analysis.plotting.explorer` the
teaching explorer's charts. All are available here:
``from lfr_analysis import plotting; plotting.plot_forest(...)``.
"""

from lfr_analysis.plotting.charts import (
    plot_count_panels,
    plot_counts,
    plot_cumulative_oe,
    plot_forest,
    plot_funnel,
    plot_monthly_activity,
    plot_rates_pair,
    plot_settings,
    plot_yield,
    plot_zero_event_bounds,
)
from lfr_analysis.plotting.explorer import PREVALENCE_GRID, plot_explorer, plot_explorer_overview
from lfr_analysis.plotting.maps import SEQUENTIAL, plot_borough_rates, plot_tile_map
from lfr_analysis.plotting.style import (
    COLOURS,
    PALETTE,
    decorate,
    figure_of,
    savefig,
    style_path,
    use_style,
)

__all__ = [
    "COLOURS",
    "PALETTE",
    "PREVALENCE_GRID",
    "SEQUENTIAL",
    "decorate",
    "figure_of",
    "plot_count_panels",
    "plot_borough_rates",
    "plot_counts",
    "plot_cumulative_oe",
    "plot_explorer",
    "plot_explorer_overview",
    "plot_forest",
    "plot_funnel",
    "plot_monthly_activity",
    "plot_rates_pair",
    "plot_settings",
    "plot_yield",
    "plot_zero_event_bounds",
    "plot_tile_map",
    "savefig",
    "style_path",
    "use_style",
]
