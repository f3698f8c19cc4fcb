/**
 * Conditional reveals that more than one answer opens, or that open when a
 * date is changed.
 *
 * GOV.UK Frontend's radios reveal a block under one radio. A reason that two
 * answers need (pausing or withdrawing; evidenced or embedded impact) is one
 * field, so it sits after the last of those radios and this opens it when any
 * of them is chosen. The markup is the GOV.UK conditional reveal's
 * (`govuk-radios__conditional`) inside a wrapper this script hides with the
 * `hidden` attribute, so without JavaScript everything stays visible.
 *
 *   <input type="radio" … data-app-reveals="id_status_reason-reveal">
 *   <div id="id_status_reason-reveal" class="app-reveal">…</div>
 *
 * A wrapper with `data-app-reveal-date="2027-03-27"` opens when the day,
 * month and year inputs of the date input named in `data-app-reveal-inputs`
 * no longer hold that date (a due date being moved).
 *
 * A wrapper that holds an error message stays open, so the error summary's
 * link always leads somewhere visible.
 */

function mustStayOpen($reveal) {
  return $reveal.querySelector(".govuk-error-message") !== null;
}

// No aria-expanded on the radios: ARIA does not allow it on a radio, and
// what is revealed follows the radio in reading order anyway.
function setOpen($reveal, open) {
  $reveal.hidden = !open && !mustStayOpen($reveal);
}

function initRadioReveal($reveal) {
  const $radios = Array.from(
    document.querySelectorAll(`input[data-app-reveals="${$reveal.id}"]`),
  );
  if (!$radios.length) {
    return;
  }
  const name = $radios[0].name;
  const $group = Array.from(
    $radios[0].form.querySelectorAll(`input[type="radio"]`),
  ).filter(($input) => $input.name === name);
  $radios.forEach(($radio) => $radio.setAttribute("aria-controls", $reveal.id));
  const sync = () =>
    setOpen(
      $reveal,
      $radios.some(($radio) => $radio.checked),
    );
  $group.forEach(($input) => $input.addEventListener("change", sync));
  window.addEventListener("pageshow", sync);
  sync();
}

function initDateReveal($reveal) {
  const stored = $reveal.dataset.appRevealDate;
  const $inputs = ($reveal.dataset.appRevealInputs || "")
    .split(" ")
    .map((id) => document.getElementById(id))
    .filter(Boolean);
  if ($inputs.length !== 3) {
    return;
  }
  const sync = () => {
    const [day, month, year] = $inputs.map(($input) => $input.value.trim());
    const typed = [year, month.padStart(2, "0"), day.padStart(2, "0")].join("-");
    setOpen($reveal, typed !== stored);
  };
  $inputs.forEach(($input) => $input.addEventListener("input", sync));
  window.addEventListener("pageshow", sync);
  sync();
}

export function initReveals() {
  document.querySelectorAll(".app-reveal[id]").forEach(($reveal) => {
    if ($reveal.dataset.appRevealDate !== undefined) {
      initDateReveal($reveal);
    } else {
      initRadioReveal($reveal);
    }
  });
}
