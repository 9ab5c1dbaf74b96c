// The phone header's menu button: on a narrow screen (site.css) the
// language switcher, the search box and the navigation fold behind it. The
// page works without this script: the button stays hidden and all of the
// header is shown, so nothing is ever out of reach.
(function () {
  var button = document.querySelector('.site-header .menu-toggle');
  if (!button) return;
  var header = button.closest('.site-header');
  header.classList.add('has-menu');
  function setOpen(open) {
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    header.classList.toggle('menu-open', open);
  }
  button.addEventListener('click', function () {
    setOpen(button.getAttribute('aria-expanded') !== 'true');
  });
  // Escape closes an open menu from anywhere in the header, back on the button.
  header.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape' || button.getAttribute('aria-expanded') !== 'true') return;
    setOpen(false);
    button.focus();
  });
  // The "/" shortcut (search-shortcut.js) opens the menu to reach the box.
  window.siteMenuOpen = function () {
    if (getComputedStyle(button).display !== 'none') setOpen(true);
  };
})();
