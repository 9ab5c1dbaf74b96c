// Instant search on the results page. Without this script the page is a
// plain form the server answers; with it, typing, facet links, filter chips,
// paging and the back button update the page in place. The script fetches the
// same server-rendered page a link would open and swaps its regions in, so
// every label, count and string stays the server's (in the page's language),
// and what the script shows cannot differ from the no-JavaScript page. The
// server HTML-escapes every field and adds only <mark> around matched words;
// the parsed document runs no script. UI text comes from data- attributes.
(function () {
  'use strict';
  var form = document.getElementById('search-form');
  var box = document.getElementById('q');
  var main = document.getElementById('main');
  var status = document.getElementById('search-status');
  if (!form || !box || !main || !status || !window.fetch || !window.DOMParser) return;
  var action = new URL(form.getAttribute('action'), location.href);
  var seq = 0;         // only the answer to the newest request is shown
  var controller = null;
  var timer = 0;

  // The service's URL for a query string ("?q=…"). site.yaml's search_url
  // may put the service on another host (it must then allow this origin).
  function ask(search) {
    var u = new URL(action.href);
    u.search = search;
    return u.href;
  }
  // The address bar's URL for it: the service's when on this host.
  function shown(search) {
    return action.origin === location.origin ? ask(search) : location.pathname + search;
  }
  function formSearch() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function(v, k) {
      if (v !== '') params.append(k, v);
    });
    var s = params.toString();
    return s ? '?' + s : '';
  }

  // Everything in <main> after the form is the answer's.
  function clearAnswer() {
    while (form.nextSibling) form.parentNode.removeChild(form.nextSibling);
    main.appendChild(status);
  }

  function unavailable() {
    clearAnswer();
    var p = document.createElement('p');
    p.className = 'search-unavailable';
    p.id = 'search-unavailable';
    p.textContent = status.getAttribute('data-unavailable');
    main.insertBefore(p, status);
    status.textContent = p.textContent;
  }

  // Copies the form's state (hidden filters always; the visible fields only
  // when the visitor did not just type them) from the answer's form.
  function syncForm(doc, all) {
    var next = doc.getElementById('search-form');
    if (!next) return;
    Array.prototype.forEach.call(form.querySelectorAll('input[type=hidden]'), function (e) { e.remove(); });
    var button = form.querySelector('button[type=submit]');
    Array.prototype.forEach.call(next.querySelectorAll('input[type=hidden]'), function (e) {
      form.insertBefore(document.importNode(e, false), button);
    });
    if (!all) return;
    ['q', 'search-sort', 'search-from', 'search-to'].forEach(function (id) {
      var mine = document.getElementById(id), theirs = doc.getElementById(id);
      if (mine && theirs) {
        if (mine.type !== theirs.type) mine.type = theirs.type;
        mine.value = theirs.value;
      }
    });
  }

  function render(doc, all) {
    var next = doc.getElementById('main');
    var nextForm = doc.getElementById('search-form');
    if (!next || !nextForm) return unavailable();
    syncForm(doc, all);
    clearAnswer();
    for (var n = nextForm.nextSibling; n; n = n.nextSibling) {
      if (n.id === 'search-status') continue;
      main.insertBefore(document.importNode(n, true), status);
    }
    document.title = doc.title;
    var total = document.getElementById('results-total');
    var none = main.querySelector('.no-results, .search-error');
    status.textContent = none ? none.textContent : total ? total.textContent.replace(/\s+/g, ' ').trim() : '';
  }

  // mode: 'type' (replaceState, keep the box), 'link' (pushState), 'pop'.
  function load(search, mode) {
    var id = ++seq;
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    var href = ask(search);
    var query = new URLSearchParams(search).get('q') || '';
    if (mode === 'link')
      history.pushState(null, '', shown(search));
    else if (mode === 'type')
      history.replaceState(null, '', shown(search));
    main.setAttribute('aria-busy', 'true');
    fetch(href, { signal: controller && controller.signal, headers: { Accept: 'text/html' } })
      .then(function (res) {
        // 400 is the server's own page explaining a bad parameter.
        if (!res.ok && res.status !== 400) throw new Error('HTTP ' + res.status);
        return res.text();
      })
      .then(function (text) {
        if (id !== seq) return;
        var doc = new DOMParser().parseFromString(text, 'text/html');
        // A plain static host answers every query with the bare form.
        if (query.trim() && !doc.getElementById('search-results') && !doc.querySelector('.search-error')) {
          unavailable();
        } else {
          render(doc, mode !== 'type');
        }
      })
      .catch(function (e) {
        if (id === seq && !(e && e.name === 'AbortError')) unavailable();
      })
      .then(function () { if (id === seq) main.removeAttribute('aria-busy'); });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function() {
      load(formSearch(), 'type');
    }, 150);
  }

  box.addEventListener('input', schedule);
  form.addEventListener('change', function (e) { if (e.target !== box) schedule(); });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    load(formSearch(), 'link');
  });

  // Result, facet, chip, paging and suggestion links to this page narrow in place.
  main.addEventListener('click', function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    var a = e.target.closest && e.target.closest('a[href]');
    if (!a || a.classList.contains('doc-title')) return;
    var u = new URL(a.href);
    if (u.origin !== location.origin && u.origin !== action.origin) return;
    if (u.pathname !== action.pathname && u.pathname !== location.pathname) return;
    e.preventDefault();
    load(u.search, 'link');
  });

  window.addEventListener('popstate', function() {
    load(location.search, 'pop');
  });

  // Arrows move between the box and the results; Enter opens the focused link.
  function resultLinks() {
    return Array.prototype.slice.call(main.querySelectorAll('#result-list a.doc-title'));
  }
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var links = resultLinks();
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    if (document.activeElement === box) {
      if (e.key !== 'ArrowDown') return;
      e.preventDefault();
      links[0].focus();
    } else if (at >= 0) {
      e.preventDefault();
      if (e.key === 'ArrowDown') links[Math.min(at + 1, links.length - 1)].focus();
      else if (at === 0) box.focus();
      else links[at - 1].focus();
    }
  });

  // Opened with a query on a host that does not answer searches (a static
  // copy, or a site whose search service is elsewhere): ask the service.
  var asked = new URLSearchParams(location.search).get('q') || '';
  if (asked.trim() && !document.getElementById('search-results') && !main.querySelector('.search-error')) {
    if (!box.value) box.value = asked;
    load(location.search, 'pop');
  }
})();
