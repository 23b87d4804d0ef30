// The page sources and uPlot, embedded into the binary at build time (see libs/web/CMakeLists.txt).
#pragma once

#include <string>
#include <string_view>

namespace web::assets {

extern const std::string_view live_html;  // web/live.html: the live chart page
extern const std::string_view live_js;    // web/live.js: SSE client of the live page
extern const std::string_view
    chart_js;  // web/chart.js: uPlot charts shared by live page and report
extern const std::string_view page_css;   // web/page.css: styles shared by both pages
extern const std::string_view plot_html;  // web/plot.html: template of the static report
extern const std::string_view plot_js;    // web/plot.js: draws the report's inlined data
extern const std::string_view uplot_js;   // uPlot 1.6.32 uPlot.iife.min.js
extern const std::string_view uplot_css;  // uPlot 1.6.32 uPlot.min.css

// A 16x16 icon (ICO container, 32-bit BMP) so browsers find /favicon.ico.
const std::string& favicon_ico();

}  // namespace web::assets
