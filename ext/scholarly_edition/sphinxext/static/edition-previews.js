/* Glossary previews and keyboard order of the mentions (scholarly_edition.sphinxext.glossary).
 *
 * The previews of all the edition's entities are one JSON file, data/previews.json,
 * fetched once (and cached by the browser for every page); a mention is a plain link,
 * <span class="ed-mention"><a href="…glossary.html#entity-id">, whose fragment names the
 * entity.  Without JavaScript (or where the file cannot be fetched, e.g. a page opened
 * from disk) the link simply leads to the glossary entry.
 *
 * Previews: one shared role="tooltip" box, shown on hover (it stays while the pointer moves
 * onto it: WCAG 1.4.13), on keyboard focus, and on the first tap on a touch screen (a second
 * tap on the same link follows it); Escape dismisses it.  It is placed below the link, or
 * above when there is no room, and always kept inside the viewport.
 *
 * Keyboard: the mentions of one paragraph are a single tab stop ("roving tabindex", WAI-ARIA
 * Authoring Practices, "Managing Focus Within Components"): Tab reaches the first mention
 * of a paragraph, the arrow keys move among that paragraph's mentions, Home/End go to its
 * first/last, Enter follows the link.
 */
(function () {
  "use strict";
  var MARGIN = 8;
  var previews = {};
  var box = null;
  var current = null;
  var touchArmed = null;
  var lastPointer = "mouse";
  var hideTimer = null;
  var pending = null;

  var loading = null;

  function load() {
    if (!loading) {
      var root = document.documentElement.getAttribute("data-content_root") || "";
      loading = fetch(root + "data/previews.json").then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(function (data) { previews = data; return data; });
      loading.catch(function () {});
    }
    return loading;
  }

  function entityOf(link) {
    try { return decodeURIComponent(link.hash.slice(1)); } catch (e) { return link.hash.slice(1); }
  }

  function makeBox() {
    box = document.createElement("div");
    box.id = "ed-preview";
    box.className = "ed-preview";
    box.setAttribute("role", "tooltip");
    box.hidden = true;
    box.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    box.addEventListener("mouseleave", function () { scheduleHide(); });
    document.body.appendChild(box);
  }

  function fill(entry) {
    box.textContent = "";
    var head = document.createElement("strong");
    head.className = "ed-preview-head";
    head.textContent = entry.headword;
    box.appendChild(head);
    if (entry.lang) head.lang = entry.lang;
    box.appendChild(document.createTextNode(": " + entry.preview));
    box.setAttribute("data-kind", entry.kind || "");
  }

  /* The line box of the link nearest the pointer (a name may wrap over two lines). */
  function anchorRect(link, clientY) {
    var rects = link.getClientRects();
    if (!rects.length) return link.getBoundingClientRect();
    if (clientY == null) return rects[0];
    var best = rects[0];
    for (var i = 1; i < rects.length; i++) {
      if (Math.abs((rects[i].top + rects[i].bottom) / 2 - clientY) < Math.abs((best.top + best.bottom) / 2 - clientY)) best = rects[i];
    }
    return best;
  }

  function place(link, clientY) {
    var vw = document.documentElement.clientWidth;
    var vh = window.innerHeight;
    box.style.maxWidth = Math.max(120, Math.min(384, vw - 2 * MARGIN)) + "px";
    box.style.maxHeight = Math.max(60, vh - 2 * MARGIN) + "px";
    box.style.left = "0px";
    box.style.top = "0px";
    var r = anchorRect(link, clientY);
    var w = box.offsetWidth;
    var h = box.offsetHeight;
    var left = Math.min(Math.max(MARGIN, r.left), vw - w - MARGIN);
    var top = r.bottom + 6;
    if (top + h > vh - MARGIN) top = r.top - h - 6;
    if (top < MARGIN) top = Math.max(MARGIN, vh - h - MARGIN);
    box.style.left = Math.max(MARGIN, left) + "px";
    box.style.top = top + "px";
  }

  function show(link, clientY) {
    var entry = previews[entityOf(link)];
    if (!entry) {
      load().then(function () { if (previews[entityOf(link)] && (pending === link)) show(link, clientY); }, function () {});
      pending = link;
      return;
    }
    pending = null;
    clearTimeout(hideTimer);
    if (current && current !== link) current.removeAttribute("aria-describedby");
    current = link;
    fill(entry);
    box.hidden = false;
    link.setAttribute("aria-describedby", box.id);
    place(link, clientY);
  }

  function hide() {
    clearTimeout(hideTimer);
    pending = null;
    if (!box) return;
    box.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    touchArmed = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 200);
  }

  function mentionOf(target) {
    return target && target.closest ? target.closest(".ed-mention > a") : null;
  }

  /* --- roving tabindex: one stop per paragraph --------------------------------------- */

  function blockOf(link) {
    return link.closest("p, li, dd, figcaption, aside") || link.parentNode;
  }

  function mentionsIn(block) {
    return Array.prototype.slice.call(block.querySelectorAll(".ed-mention > a"));
  }

  function rove() {
    var links = document.querySelectorAll(".ed-mention > a");
    var seen = new Set();
    for (var i = 0; i < links.length; i++) {
      var block = blockOf(links[i]);
      links[i].tabIndex = seen.has(block) ? -1 : 0;
      seen.add(block);
    }
  }

  function onKey(event) {
    if (event.key === "Escape" && box && !box.hidden) {
      hide();
      return;
    }
    var link = mentionOf(event.target);
    if (!link || event.altKey || event.ctrlKey || event.metaKey) return;
    var list = mentionsIn(blockOf(link));
    var i = list.indexOf(link);
    var next = null;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") next = list[(i + 1) % list.length];
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = list[(i - 1 + list.length) % list.length];
    else if (event.key === "Home") next = list[0];
    else if (event.key === "End") next = list[list.length - 1];
    if (!next) return;
    // Handled here: not also a move to the previous/next page (navigation_with_keys).
    event.preventDefault();
    event.stopPropagation();
    link.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  }

  function init() {
    if (!document.querySelector(".ed-mention > a")) return;
    load();
    makeBox();
    rove();
    document.addEventListener("pointerdown", function (event) {
      lastPointer = event.pointerType || "mouse";
      if (box && !box.hidden && !box.contains(event.target) && !mentionOf(event.target)) hide();
    }, true);
    document.addEventListener("mouseover", function (event) {
      var link = mentionOf(event.target);
      if (link && lastPointer === "mouse") show(link, event.clientY);
    });
    document.addEventListener("mouseout", function (event) {
      var link = mentionOf(event.target);
      if (link && link === current && lastPointer === "mouse" && document.activeElement !== link) scheduleHide();
    });
    document.addEventListener("focusin", function (event) {
      var link = mentionOf(event.target);
      if (link) show(link);
      else if (box && !box.contains(event.target)) hide();
    });
    document.addEventListener("focusout", function (event) {
      if (mentionOf(event.target) === current) scheduleHide();
    });
    document.addEventListener("click", function (event) {
      var link = mentionOf(event.target);
      if (!link || lastPointer !== "touch") return;
      if (touchArmed === link && current === link && !box.hidden) return; // second tap: follow
      event.preventDefault();
      show(link, event.clientY);
      touchArmed = link;
    });
    document.addEventListener("keydown", onKey, true);
    window.addEventListener("resize", function () { if (current) place(current); });
    window.addEventListener("scroll", function () { if (current) place(current); }, { passive: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
