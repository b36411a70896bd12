// Typeset what pymdownx.arithmatex (generic mode) left in the page: TeX between \( \)
// in an inline span, or between \[ \] in a display div. Loaded by site_hooks/katex.py,
// after KaTeX itself (both deferred, so they run in order once the page is parsed).
document.querySelectorAll(".arithmatex").forEach(function (element) {
  var display = element.tagName === "DIV";
  var tex = element.textContent.trim();
  tex = display ? tex.replace(/^\\\[/, "").replace(/\\\]$/, "") : tex.replace(/^\\\(/, "").replace(/\\\)$/, "");
  katex.render(tex, element, { displayMode: display, throwOnError: false });
});
