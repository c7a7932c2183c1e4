// The organiser's page: follows a running build, sends the page's small actions.
// Every word it shows comes from the server (the event stream's "shown" texts, or data-*
// attributes of the page), so the page's language is the server's business alone.
"use strict";

(function () {
  const FINISHED = ["done", "failed", "cancelled"];

  function byId(id) {
    return document.getElementById(id);
  }

  function setText(id, text) {
    const el = byId(id);
    if (el && el.textContent !== text) el.textContent = text;
  }

  function renderSteps(list, state) {
    const items = list.children;
    state.steps.forEach(function (step, i) {
      let li = items[i];
      if (!li) {
        li = document.createElement("li");
        const mark = document.createElement("span");
        mark.className = "mark";
        mark.setAttribute("aria-hidden", "true");
        const name = document.createElement("span");
        name.className = "sname";
        const st = document.createElement("span");
        st.className = "sstate";
        const bar = document.createElement("progress");
        bar.max = 1;
        li.append(mark, name, " ", st, bar);
        list.appendChild(li);
      }
      li.className = "st-" + step.state;
      li.querySelector(".sname").textContent = state.shown.steps[i].name;
      li.querySelector(".sstate").textContent = state.shown.steps[i].state;
      const bar = li.querySelector("progress");
      bar.value = step.progress;
      bar.hidden = step.state !== "running";
    });
  }

  function render(state) {
    setText("sk-state", state.shown.state);
    setText("sk-percent", state.shown.percent);
    setText("sk-left", state.shown.left);
    const overall = byId("sk-overall");
    if (overall) {
      overall.value = state.progress;
      overall.textContent = state.shown.percent;
    }
    const list = byId("sk-steps");
    if (list) renderSteps(list, state);
    document.title = state.shown.state + " · screenkit";
  }

  function follow(root) {
    const url = "/api/builds/" + encodeURIComponent(root.dataset.build) + "/events";
    const source = new EventSource(url);
    source.addEventListener("state", function (event) {
      const state = JSON.parse(event.data);
      render(state);
      if (FINISHED.indexOf(state.state) >= 0) {
        source.close();
        window.location.reload();
      }
    });
  }

  // A copy to a stick: its state every half second until it has finished.
  function watchCopy(root) {
    const url = "/api/copies/" + encodeURIComponent(root.dataset.copy);
    function look() {
      fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          return response.json();
        })
        .then(function (state) {
          render({ shown: { state: state.shown.state, percent: state.shown.percent, left: "", steps: [] }, progress: state.progress, steps: [] });
          if (FINISHED.indexOf(state.state) >= 0) window.location.reload();
          else window.setTimeout(look, 500);
        })
        .catch(function () {
          window.setTimeout(look, 2000);
        });
    }
    look();
  }

  // A form marked data-api is sent by fetch; the answer is shown in the status line.
  function sendQuietly(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const status = byId("sk-opened");
      fetch(form.action, { method: "POST", credentials: "same-origin" })
        .then(function (response) {
          if (status) status.textContent = response.ok ? status.dataset.opened : status.dataset.failed;
        })
        .catch(function () {
          if (status) status.textContent = status.dataset.failed;
        });
    });
  }

  // A form marked data-busy shows its "working" line and cannot be sent twice.
  function markBusy(form) {
    form.addEventListener("submit", function () {
      const busy = form.querySelector(".busy");
      if (busy) busy.hidden = false;
      form.querySelectorAll("button").forEach(function (b) {
        b.disabled = true;
      });
    });
  }

  // A file field shows the name of the file chosen (the words around it are the page's).
  function showFileName(input) {
    const shown = input.parentElement.querySelector(".file-name");
    input.addEventListener("change", function () {
      if (shown) shown.textContent = input.files.length ? input.files[0].name : "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const build = byId("build");
    if (build && FINISHED.indexOf(build.dataset.state) < 0) follow(build);
    const copy = byId("copy");
    if (copy && FINISHED.indexOf(copy.dataset.state) < 0) watchCopy(copy);
    document.querySelectorAll("form[data-api]").forEach(sendQuietly);
    document.querySelectorAll("form[data-busy]").forEach(markBusy);
    document.querySelectorAll("input.file-input").forEach(showFileName);
  });
})();
