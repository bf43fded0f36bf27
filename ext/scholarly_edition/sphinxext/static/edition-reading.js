/* Reading aids (scholarly_edition.sphinxext.reading): where a link landed, closed drawers,
 * and two accessibility repairs of the theme.  Everything works without this script; it
 * only makes landing and keyboard use better.
 *
 * 1. Landing: when a link lands on a mention or a marker inside a paragraph (a glossary
 *    back-reference, a chronology link), the paragraph's start is brought into view with the
 *    target, when both fit on the screen; CSS (:target) highlights it.  The jump is never
 *    animated (a long text would scroll by thousands of pixels).
 * 2. Closed drawers: furo's navigation and contents drawers are off-screen on narrow
 *    screens but their links stay in the tab order; while a drawer is closed it is made
 *    inert (no focus, hidden from assistive technology).
 * 3. Sidebar captions: the theme marks them role="heading" without aria-level (where the
 *    template override has not already added it).
 */
(function () {
  "use strict";
  var BLOCKS = ".ed-para, aside.footnote, aside.ed-enote, .ed-entry, .ed-event, li, p";

  function targetOf(hash) {
    if (!hash || hash.length < 2) return null;
    var id;
    try { id = decodeURIComponent(hash.slice(1)); } catch (e) { id = hash.slice(1); }
    return document.getElementById(id);
  }

  function land() {
    var target = targetOf(location.hash);
    if (!target || target.matches(BLOCKS)) return;
    var block = target.parentElement && target.parentElement.closest(BLOCKS);
    if (!block || block === target) return;
    var header = document.querySelector(".mobile-header");
    var offset = header && header.offsetHeight ? header.offsetHeight + 8 : 8;
    var blockTop = block.getBoundingClientRect().top;
    var targetBottom = target.getBoundingClientRect().bottom;
    if (targetBottom - blockTop <= window.innerHeight - offset - 16) {
      window.scrollTo({ top: window.scrollY + blockTop - offset, behavior: "instant" });
    }
  }

  function drawers() {
    var pairs = [
      ["__navigation", ".sidebar-drawer", "(max-width: 63em)"],
      ["__toc", ".toc-drawer", "(max-width: 82em)"],
    ];
    pairs.forEach(function (pair) {
      var toggle = document.getElementById(pair[0]);
      var drawer = document.querySelector(pair[1]);
      if (!toggle || !drawer || !window.matchMedia) return;
      var narrow = window.matchMedia(pair[2]);
      var update = function () {
        if (narrow.matches && !toggle.checked) drawer.setAttribute("inert", "");
        else drawer.removeAttribute("inert");
      };
      toggle.addEventListener("change", update);
      if (narrow.addEventListener) narrow.addEventListener("change", update);
      update();
    });
    // The theme's overlay and header labels toggle the checkboxes without a change event.
    document.addEventListener("click", function () { setTimeout(function () {
      pairs.forEach(function (pair) {
        var toggle = document.getElementById(pair[0]);
        if (toggle) toggle.dispatchEvent(new Event("change"));
      });
    }, 0); }, true);
  }

  function headings() {
    var captions = document.querySelectorAll('[role="heading"]:not([aria-level])');
    for (var i = 0; i < captions.length; i++) captions[i].setAttribute("aria-level", "2");
  }

  function init() {
    headings();
    drawers();
    land();
    window.addEventListener("hashchange", land);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
