/**
 * Progressive enhancement for every page.
 *
 * Pages work fully without JavaScript. When the browser supports ES modules,
 * this starts GOV.UK Frontend's components (the service navigation menu
 * button on small screens, error summary focus, notification banners and so
 * on). GOV.UK Frontend is copied to `build/govuk/` by `npm run build`, which
 * Django serves beside this file under the same static URL.
 *
 * It also:
 * - opens the reasons and evidence that some answers need, when they are
 *   needed (reveal.mjs);
 * - opens the filter panel beside a list on a desktop-sized screen (it
 *   starts folded away, so that on a phone or tablet, where it sits above
 *   the list, the results come first);
 * - keeps a table region (components/table_region.html) in the tab order
 *   only while its table is wider than it, so keyboard users can scroll it
 *   and do not meet a stop that does nothing.
 */
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initReveals } from "./reveal.mjs";

initAll();
initReveals();

// GOV.UK Frontend's desktop breakpoint (48.0625em, 769px), where the filter
// panel sits beside the results (layouts/list.html).
const desktop = window.matchMedia("(min-width: 48.0625em)");

for (const panel of document.querySelectorAll(".app-filter-details")) {
  if (desktop.matches) {
    panel.open = true;
  }
}

function updateRegion(region) {
  if (region.scrollWidth > region.clientWidth + 1) {
    region.setAttribute("tabindex", "0");
  } else if (document.activeElement !== region) {
    region.removeAttribute("tabindex");
  }
}

const regions = document.querySelectorAll(".app-table-region");
if (regions.length && "ResizeObserver" in window) {
  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      updateRegion(entry.target);
    }
  });
  for (const region of regions) {
    observer.observe(region);
  }
}
for (const region of regions) {
  updateRegion(region);
}
