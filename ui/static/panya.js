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

// Recordings: the cue being heard is highlighted as the recording plays, and tapping a cue seeks
// to it. The player and the cues come from _player.html and source.html (data-start, data-end).
(function () {
  "use strict";
  const player = document.getElementById("player");
  const list = document.querySelector(".transcript");
  if (!player || !list) return;
  const cues = Array.from(list.querySelectorAll(".cue[data-start]"));
  let current = null;

  function cueAt(time) {
    // the last cue that has started: it stays lit through a pause before the next one
    let found = null;
    for (const cue of cues) {
      if (parseFloat(cue.dataset.start) <= time + 0.05) found = cue;
      else break;
    }
    return found;
  }

  function follow() {
    const cue = cueAt(player.currentTime);
    if (cue === current) return;
    if (current) {
      current.classList.remove("playing");
      current.removeAttribute("aria-current");
    }
    current = cue;
    if (cue) {
      cue.classList.add("playing");
      cue.setAttribute("aria-current", "true");
      if (!player.paused) cue.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }

  player.addEventListener("timeupdate", follow);
  player.addEventListener("seeked", follow);
  list.addEventListener("click", (event) => {
    if (event.target.closest("[data-seek]")) return; // the time link: handled above
    if (event.target.closest("a") || String(window.getSelection() || "")) return; // a link, or selecting text
    const cue = event.target.closest(".cue[data-start]");
    if (!cue) return;
    player.currentTime = parseFloat(cue.dataset.start);
    follow();
    player.play().catch(() => { /* autoplay refused: the cue is still chosen */ });
  });
})();

// Source page, "อ้างอิง": the copy buttons put a citation on the clipboard (with a fallback for
// pages served over plain http, where navigator.clipboard is missing) and say so.
(function () {
  "use strict";
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-copy]");
    if (!button) return;
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    const text = source.textContent.trim();
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch (error) {
      const range = document.createRange();
      range.selectNodeContents(source);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { copied = document.execCommand("copy"); } catch (ignored) { copied = false; }
    }
    if (!button.dataset.label) button.dataset.label = button.innerHTML;
    button.textContent = copied ? button.dataset.done || "คัดลอกแล้ว" : "เลือกข้อความแล้ว กด Ctrl+C";
    button.setAttribute("aria-live", "polite");
    setTimeout(() => { button.innerHTML = button.dataset.label; }, 2500);
  });
})();
