/* Progressive enhancement of the cite boxes (edition.sphinxext.cite).
 *
 * 1. When the edition was built without a base URL, citations say "[edition URL]/…";
 *    on a page served over http(s) the reader's own address tells what it is.
 * 2. A "Copy" button beside each citation copies it as rich text (italics kept) and as
 *    plain text.  Without JavaScript the citations stay selectable text.
 * 3. A paragraph's box holds only its permalink in the page; the citations of all the
 *    document's paragraphs are one JSON file (named by the document's box, data-ed-paragraphs),
 *    fetched the first time a reader opens a paragraph's box.  Where it cannot be fetched
 *    (a page opened from disk), the permalink stays.
 */
(function () {
  "use strict";
  var PLACEHOLDER = "[edition URL]";

  function editionBase(page) {
    if (!/^https?:$/.test(location.protocol)) return null;
    var here = location.origin + location.pathname;
    var candidates = [page, page.replace(/index\.html$/, "")];
    for (var i = 0; i < candidates.length; i++) {
      var c = candidates[i];
      if (c && here.slice(-c.length) === c) return here.slice(0, here.length - c.length).replace(/\/$/, "");
    }
    return null;
  }

  function fillBase(box) {
    var base = editionBase(box.getAttribute("data-ed-page") || "");
    if (!base) return;
    var walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      if (node.nodeValue.indexOf(PLACEHOLDER) >= 0) node.nodeValue = node.nodeValue.split(PLACEHOLDER).join(base);
    }
  }

  function copy(text, html, button) {
    var done = function () {
      var old = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = old; }, 1500);
    };
    if (navigator.clipboard && window.ClipboardItem) {
      var item = new ClipboardItem({
        "text/plain": new Blob([text], { type: "text/plain" }),
        "text/html": new Blob([html], { type: "text/html" }),
      });
      navigator.clipboard.write([item]).then(done, function () { navigator.clipboard.writeText(text).then(done); });
    } else if (navigator.clipboard) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      var area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); done(); } finally { document.body.removeChild(area); }
    }
  }

  function addButtons(box) {
    var texts = box.querySelectorAll(".ed-cite-text");
    for (var i = 0; i < texts.length; i++) {
      (function (span) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "ed-cite-copy";
        button.textContent = "Copy";
        button.setAttribute("aria-label", "Copy this citation");
        button.addEventListener("click", function () { copy(span.textContent, span.innerHTML, button); });
        span.parentNode.appendChild(button);
      })(texts[i]);
    }
  }

  var sources = {};

  function loadParagraphs(src) {
    if (!sources[src]) {
      sources[src] = fetch(src).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
    }
    return sources[src];
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  /* Build the body of a paragraph's box from its entry in the JSON; the citation texts are
     the HTML the build rendered (italics), from the edition's own data. */
  function fillParagraph(box, data) {
    var styles = data.paragraphs[box.getAttribute("data-ed-para")];
    if (!styles) return;
    var body = box.querySelector(".ed-cite-body");
    if (!body) { body = el("div", "ed-cite-body"); box.appendChild(body); }
    var fallback = body.querySelector(".ed-cite-fallback");
    box.setAttribute("data-ed-page", data.page);
    styles.forEach(function (style) {
      var div = el("div", "ed-cite-style");
      div.setAttribute("data-style", style.style);
      div.appendChild(el("p", "ed-cite-style-name", style.label));
      style.forms.forEach(function (form) {
        var p = el("p", "ed-cite-form");
        p.appendChild(el("span", "ed-cite-kind", form[0]));
        p.appendChild(document.createTextNode(" "));
        var text = el("span", "ed-cite-text");
        text.innerHTML = form[1];
        p.appendChild(text);
        div.appendChild(p);
      });
      body.insertBefore(div, fallback);
    });
    body.appendChild(el("p", "ed-cite-hint", data.hint));
    box.setAttribute("data-ed-filled", "");
    fillBase(box);
    addButtons(box);
  }

  function init() {
    /* Paragraph boxes are filled by this script: without it they stay hidden (the ¶ number is
       the permalink), so no empty control is shown. */
    document.documentElement.classList.add("ed-js");
    var boxes = document.querySelectorAll("details.ed-cite");
    var src = null;
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.hasAttribute("data-ed-paragraphs")) src = box.getAttribute("data-ed-paragraphs");
      if (box.hasAttribute("data-ed-para")) {
        if (!src) continue;
        (function (box, src) {
          box.addEventListener("toggle", function () {
            if (!box.open || box.hasAttribute("data-ed-filled")) return;
            loadParagraphs(src).then(function (data) {
              if (!box.hasAttribute("data-ed-filled")) fillParagraph(box, data);
            }, function () {});
          });
        })(box, src);
        continue;
      }
      fillBase(box);
      addButtons(box);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
