{% load i18n %}/* {{ home.title }} · {{ commune.name }}: <script src="…/column/widget.js" async></script> */
(function () {
  var s = document.currentScript, f = document.createElement("iframe");
  f.src = "{{ widget_url|escapejs }}";
  f.title = "{{ home.title|escapejs }}";
  f.loading = "lazy";
  f.style.cssText = "width:100%;max-width:" + (s && s.getAttribute("data-width") || "420") + "px;height:" +
    (s && s.getAttribute("data-height") || "460") + "px;border:1px solid #ddd;border-radius:6px";
  if (s && s.parentNode) { s.parentNode.insertBefore(f, s.nextSibling); } else { document.body.appendChild(f); }
})();
