/* Progressive enhancement of the cite boxes (edition.sphinxext.cite).
 *
 * 1. When the edition was built without a base URL, citations say "[edition URL]/…";
 *    on a page served over http(s) the reader's own address tells what it is.
 * 2. A "Copy" button beside each citation copies it as rich text (italics kept) and as
 *    plain text.  Without JavaScript the citations stay selectable text.
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

  function init() {
    var boxes = document.querySelectorAll("details.ed-cite");
    for (var i = 0; i < boxes.length; i++) {
      fillBase(boxes[i]);
      addButtons(boxes[i]);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
