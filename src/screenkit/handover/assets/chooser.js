// index.html only: open the page in the visitor's language when the catalogue has it.
// The languages are the page's <link rel="alternate" hreflang> elements; each preferred
// language of the browser is tried in turn, first exactly (pt-BR), then by its language
// (pt). Without script, or with no match, this page (the kit's original language) stays.
(function () {
  "use strict";
  var links = Array.prototype.slice.call(
    document.querySelectorAll('link[rel="alternate"][hreflang]')
  ).filter(function (link) { return link.hreflang !== "x-default"; });
  var wanted = navigator.languages && navigator.languages.length
    ? navigator.languages : [navigator.language || ""];
  var here = document.documentElement.lang.toLowerCase();
  function base(tag) { return tag.split("-")[0]; }
  for (var i = 0; i < wanted.length; i++) {
    var want = String(wanted[i]).toLowerCase();
    var exact = links.filter(function (l) { return l.hreflang.toLowerCase() === want; });
    var near = links.filter(function (l) { return base(l.hreflang.toLowerCase()) === base(want); });
    var found = exact[0] || near[0];
    if (found) {
      if (found.hreflang.toLowerCase() !== here) {
        location.replace(found.getAttribute("href"));
      }
      return;
    }
  }
})();
