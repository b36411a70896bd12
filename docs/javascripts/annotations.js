// Material's code annotations: the link inside each annotation marker has no text (its
// number is drawn by CSS), so a screen reader would announce an empty link (axe's
// link-name rule). Give each one a name, "Annotation 1" (注释 1 on Chinese pages), as
// Material mounts them; they appear after load, hence the observer.
(function () {
  var word = (document.documentElement.lang || "").indexOf("zh") === 0 ? "注释 " : "Annotation ";
  function label(root) {
    root.querySelectorAll("a.md-annotation__index:not([aria-label])").forEach(function (link) {
      var number = link.querySelector("[data-md-annotation-id]");
      link.setAttribute("aria-label", word + (number ? number.getAttribute("data-md-annotation-id") : ""));
    });
  }
  label(document);
  new MutationObserver(function () { label(document); })
    .observe(document.body, { childList: true, subtree: true });
})();
