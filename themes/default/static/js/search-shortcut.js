// "/" focuses the search box (the results page's own, else the header's),
// as on most sites with search; the boxes work without this script.
document.addEventListener('keydown', function(e) {
  if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
  var t = e.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  var box = document.getElementById('q') || document.querySelector('[data-search-shortcut]');
  if (!box) return;
  e.preventDefault();
  // On a phone the header's box is folded in the menu (menu.js).
  if (!box.getClientRects().length && window.siteMenuOpen) window.siteMenuOpen();
  box.focus();
  box.select();
});
