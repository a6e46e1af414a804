// Progressive enhancement: everything works without this file; with it, filters and paging
// swap the server-rendered results in place instead of reloading the page.
(function () {
  "use strict";
  const results = document.getElementById("results");

  function syncForm(url) {
    const form = document.querySelector("form.search");
    if (!form) return;
    form.querySelectorAll("input[type=hidden]").forEach((el) => el.remove());
    const box = form.querySelector("#q");
    if (box) box.value = url.searchParams.get("q") || "";
    for (const key of ["type", "province", "category", "sort", "price_min", "price_max"]) {
      const value = url.searchParams.get(key);
      if (value) {
        const input = document.createElement("input");
        Object.assign(input, { type: "hidden", name: key, value });
        form.appendChild(input);
      }
    }
  }

  async function show(href, push) {
    const url = new URL(href, location.href);
    const partial = new URL(url);
    partial.searchParams.set("partial", "1");
    results.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(partial, { headers: { Accept: "text/html" } });
      if (!response.ok) throw new Error(response.status);
      results.innerHTML = await response.text();
      if (push) history.pushState({}, "", url);
      syncForm(url);
    } catch (error) {
      location.href = url; // fall back to a normal page load
    } finally {
      results.removeAttribute("aria-busy");
    }
  }

  if (results) {
    results.addEventListener("click", (event) => {
      const link = event.target.closest("a.chip, .pager a, .sorts a");
      if (!link || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      show(link.href, true);
    });
    window.addEventListener("popstate", () => show(location.href, false));
  }

  // Autocomplete: titles, sages, places, products and categories from /api/suggest.
  const box = document.getElementById("q");
  const list = document.getElementById("suggestions");
  if (box && list) {
    let pending;
    box.addEventListener("input", () => {
      clearTimeout(pending);
      const typed = box.value.trim();
      if (typed.length < 2) return;
      pending = setTimeout(async () => {
        try {
          const response = await fetch("/api/suggest?" + new URLSearchParams({ q: typed, limit: 8 }));
          if (!response.ok) return;
          const body = await response.json();
          list.replaceChildren(...body.suggestions.map((s) => Object.assign(document.createElement("option"), { value: s.text })));
        } catch (error) { /* offline or busy: typing goes on without suggestions */ }
      }, 150);
    });
  }

  // Source page: bring the matched passage into view and let timestamps seek the recording.
  const match = document.getElementById("match");
  if (match) match.scrollIntoView({ block: "center" });
  const player = document.getElementById("player");
  if (player) {
    document.addEventListener("click", (event) => {
      const time = event.target.closest("[data-seek]");
      if (!time) return;
      event.preventDefault();
      player.currentTime = parseFloat(time.dataset.seek);
      player.play();
    });
  }
})();
