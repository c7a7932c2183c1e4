/* screenkit screening page player: cues from the page itself, a room-sized control set.
   No network, no eval, no innerHTML: cue markup reaches the page only through getCueAsHTML,
   which builds WebVTT's own elements (b, i, u, ruby, rt, span) and text nodes. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("screenkit-data").textContent);
  var S = data.strings;
  var player = document.getElementById("sk-player");
  var stage = document.getElementById("sk-stage");
  var video = document.getElementById("sk-video");
  var cueBox = document.getElementById("sk-cue");
  var select = document.getElementById("sk-lang");
  var seek = document.getElementById("sk-seek");
  var time = document.getElementById("sk-time");
  var appeal = document.getElementById("sk-appeal");
  var message = document.getElementById("sk-msg");
  var playBtn = document.getElementById("sk-play");
  var muteBtn = document.getElementById("sk-mute");
  var SIZES = [0.6, 0.75, 0.9, 1, 1.2, 1.45, 1.75, 2.1, 2.5];
  var SIZE_KEY = "screenkit.subtitleSize";
  var sizeAt = 3;
  var current = -1;
  var last = data["default"] >= 0 ? data["default"] : 0;
  var tracks = [];
  var dragging = false;
  var idleTimer = 0;

  video.controls = false;

  data.tracks.forEach(function (t, i) {
    var track = video.addTextTrack("subtitles", t.name, t.tag);
    track.mode = "hidden";
    t.cues.forEach(function (c) {
      track.addCue(new VTTCue(c[0], c[1], c[2]));
    });
    track.mode = "disabled";
    track.addEventListener("cuechange", function () {
      if (i === current) showCues();
    });
    tracks.push(track);
  });

  function showCues() {
    while (cueBox.firstChild) cueBox.removeChild(cueBox.firstChild);
    if (current < 0) return;
    cueBox.lang = tracks[current].language;
    var active = tracks[current].activeCues;
    for (var j = 0; active && j < active.length; j++) {
      var line = document.createElement("span");
      line.className = "sk-cue-line";
      line.dir = "auto";
      line.appendChild(active[j].getCueAsHTML());
      if (j > 0) cueBox.appendChild(document.createElement("br"));
      cueBox.appendChild(line);
    }
  }

  function choose(index) {
    current = index >= 0 && index < tracks.length ? index : -1;
    tracks.forEach(function (track, i) {
      track.mode = i === current ? "hidden" : "disabled";
    });
    if (current >= 0) last = current;
    select.value = current >= 0 ? String(current) : "off";
    showCues();
  }

  function fitCues() {
    var px = Math.max(14, stage.clientHeight * 0.055 * SIZES[sizeAt]);
    cueBox.style.fontSize = px.toFixed(1) + "px";
    player.setAttribute("data-subtitle-size", String(SIZES[sizeAt]));
  }

  function resize(step) {
    sizeAt = Math.min(SIZES.length - 1, Math.max(0, sizeAt + step));
    try {
      window.localStorage.setItem(SIZE_KEY, String(sizeAt));
    } catch (e) { /* storage refused (private mode): the size lasts for this visit */ }
    fitCues();
  }

  function clock(t) {
    t = Math.max(0, Math.floor(t || 0));
    var h = Math.floor(t / 3600), m = Math.floor(t / 60) % 60, s = t % 60;
    var mm = h ? (m < 10 ? "0" : "") + m : String(m);
    return (h ? h + ":" : "") + mm + ":" + (s < 10 ? "0" : "") + s;
  }

  function showTime() {
    var d = isFinite(video.duration) ? video.duration : 0;
    time.textContent = clock(video.currentTime) + " / " + clock(d);
    if (!dragging && d) seek.value = String(Math.round((video.currentTime / d) * 1000));
  }

  function showState() {
    var playing = !video.paused && !video.ended;
    player.classList.toggle("sk-playing", playing);
    player.classList.toggle("sk-muted", video.muted);
    playBtn.setAttribute("aria-label", playing ? S.pause : S.play);
    playBtn.title = playing ? S.pause : S.play;
    muteBtn.setAttribute("aria-label", video.muted ? S.unmute : S.mute);
    muteBtn.title = video.muted ? S.unmute : S.mute;
  }

  function play() {
    if (!appeal.hidden) {
      appeal.hidden = true;
      if (video.ended) video.currentTime = 0;
    }
    var started = video.play();
    if (started && started["catch"]) started["catch"](function () { showState(); });
  }

  function togglePlay() {
    if (video.paused || video.ended) play();
    else video.pause();
  }

  function toggleFullscreen() {
    var doc = document;
    if (doc.fullscreenElement || doc.webkitFullscreenElement) {
      (doc.exitFullscreen || doc.webkitExitFullscreen).call(doc);
      return;
    }
    var go = player.requestFullscreen || player.webkitRequestFullscreen;
    if (!go) return;
    var asked = go.call(player);
    if (asked && asked["catch"]) asked["catch"](function () { /* refused: stay in the page */ });
  }

  function nudge(seconds) {
    var d = isFinite(video.duration) ? video.duration : 0;
    video.currentTime = Math.min(Math.max(0, video.currentTime + seconds), d || 0);
  }

  function wake() {
    player.classList.remove("sk-idle");
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(function () {
      if (!video.paused) player.classList.add("sk-idle");
    }, 2500);
  }

  try {
    var saved = parseInt(window.localStorage.getItem(SIZE_KEY) || "", 10);
    if (saved >= 0 && saved < SIZES.length) sizeAt = saved;
  } catch (e) { /* no storage for file pages in this browser: the default size */ }

  video.addEventListener("click", togglePlay);
  document.getElementById("sk-bigplay").addEventListener("click", play);
  playBtn.addEventListener("click", togglePlay);
  muteBtn.addEventListener("click", function () { video.muted = !video.muted; });
  document.getElementById("sk-fs").addEventListener("click", toggleFullscreen);
  document.getElementById("sk-smaller").addEventListener("click", function () { resize(-1); });
  document.getElementById("sk-bigger").addEventListener("click", function () { resize(1); });
  document.getElementById("sk-again").addEventListener("click", play);
  select.addEventListener("change", function () {
    choose(select.value === "off" ? -1 : parseInt(select.value, 10));
    select.blur();
  });
  seek.addEventListener("input", function () {
    dragging = true;
    var d = isFinite(video.duration) ? video.duration : 0;
    if (d) video.currentTime = (parseInt(seek.value, 10) / 1000) * d;
  });
  seek.addEventListener("change", function () { dragging = false; seek.blur(); });
  ["play", "pause", "ended", "volumechange"].forEach(function (name) {
    video.addEventListener(name, showState);
  });
  ["timeupdate", "durationchange", "loadedmetadata", "seeked"].forEach(function (name) {
    video.addEventListener(name, showTime);
  });
  video.addEventListener("ended", function () { appeal.hidden = false; });
  video.addEventListener("error", function () { message.hidden = false; });
  player.addEventListener("pointermove", wake);
  player.addEventListener("pointerdown", wake);
  window.addEventListener("resize", fitCues);
  document.addEventListener("fullscreenchange", fitCues);
  document.addEventListener("webkitfullscreenchange", fitCues);
  video.addEventListener("loadedmetadata", fitCues);

  var KEYS = {
    " ": togglePlay,
    k: togglePlay,
    f: toggleFullscreen,
    m: function () { video.muted = !video.muted; },
    arrowleft: function () { nudge(-5); },
    arrowright: function () { nudge(5); },
    s: function () { if (tracks.length) choose(current < 0 ? last : (current + 1) % tracks.length); },
    c: function () { choose(current >= 0 ? -1 : last); },
    "+": function () { resize(1); },
    "=": function () { resize(1); },
    "-": function () { resize(-1); }
  };
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var action = KEYS[event.key.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    action();
    wake();
  });

  choose(data["default"]);
  fitCues();
  showState();
  showTime();
})();
