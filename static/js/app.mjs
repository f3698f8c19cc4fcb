/**
 * Progressive enhancement for every page.
 *
 * Pages work fully without JavaScript. When the browser supports ES modules,
 * this starts GOV.UK Frontend's components (the service navigation menu
 * button on small screens, error summary focus, notification banners and so
 * on). GOV.UK Frontend is copied to `build/govuk/` by `npm run build`, which
 * Django serves beside this file under the same static URL.
 */
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
