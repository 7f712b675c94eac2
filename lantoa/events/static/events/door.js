/* Check-in at the door (Lan Tỏa events). Hand-written, no library, no CDN.
 *
 * The event's invitation list (codes, names where the role may see them, cancelled flags) is kept in the
 * browser's localStorage, so the door keeps working when the network drops: a check-in is decided against the
 * list of the last sync and queued with an id made here (a UUID). The queue is uploaded when the network is
 * back; the server counts a person once whatever the number of uploads or phones. A cancelled invitation is
 * refused here too, from its last sync on (never green for a cancelled ticket).
 */
(function () {
  "use strict";
  var root = document.getElementById("door");
  if (!root) return;
  var T = JSON.parse(document.getElementById("door-text").textContent);
  var eventId = root.dataset.event;
  var listUrl = root.dataset.listUrl;
  var syncUrl = root.dataset.syncUrl;
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var KEY = "lantoa-door-" + eventId + "-";
  var $ = function (id) { return document.getElementById(id); };

  function load(name, fallback) {
    try { var v = localStorage.getItem(KEY + name); return v ? JSON.parse(v) : fallback; } catch (e) { return fallback; }
  }
  function save(name, value) { localStorage.setItem(KEY + name, JSON.stringify(value)); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  var device = load("device", null);
  if (!device) { device = "phone-" + uuid().slice(0, 8); save("device", device); }
  var list = load("list", { invitations: [], synced_at: null });
  var queue = load("queue", []);
  var syncing = false;

  function byCode(code) {
    for (var i = 0; i < list.invitations.length; i++) if (list.invitations[i].code === code) return list.invitations[i];
    return null;
  }
  function plain(s) { return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase(); }

  function verdict(kind, text) {
    var v = $("verdict"); v.className = "verdict " + kind; v.textContent = text;
    if (navigator.vibrate) navigator.vibrate(kind === "ok" ? 80 : [60, 60, 60]);
  }

  function render() {
    var present = 0, total = 0;
    list.invitations.forEach(function (i) { if (i.status !== "cancelled") total++; if (i.present) present++; });
    $("present").textContent = present; $("total").textContent = total;
    $("queued").textContent = queue.length;
    $("synced").textContent = list.synced_at ? new Date(list.synced_at).toLocaleString("vi-VN") : "—";
    $("network").textContent = navigator.onLine ? T.online : T.offline;
  }

  /* The code in a scanned QR: the code itself, or the last part of the invitation link. */
  function codeOf(text) {
    text = (text || "").trim();
    var m = text.match(/\/([A-Za-z0-9]{6,16})\/?(?:[?#].*)?$/);
    return (m ? m[1] : text).toUpperCase();
  }

  function checkIn(code, source) {
    var inv = byCode(code);
    if (!inv) { verdict("refused", T.unknown + " " + code); return; }
    var who = inv.name + (inv.group ? " · " + inv.group : "");
    if (inv.status === "cancelled") { verdict("refused", T.cancelled + " " + who); return; }
    if (inv.status === "waitlisted") { verdict("refused", T.waitlisted + " " + who); return; }
    if (inv.present) { verdict("warn", T.already + " " + who); return; }
    inv.present = true;
    queue.push({ checkin_id: uuid(), code: inv.code, at: new Date().toISOString(), source: source });
    save("list", list); save("queue", queue);
    verdict("ok", T.welcome + " " + who);
    render(); showMatches(); sync();
  }

  function walkIn(name, organisation, hamletId) {
    var id = uuid();
    queue.push({
      checkin_id: id, at: new Date().toISOString(), source: "walk_in",
      walk_in: { client_id: id, name: name, organisation: organisation, hamlet_id: hamletId ? parseInt(hamletId, 10) : null }
    });
    list.invitations.push({ code: "", name: name, group: organisation, kind: "walk_in", status: "invited", present: true });
    save("list", list); save("queue", queue);
    verdict("ok", T.welcome + " " + name);
    render(); sync();
  }

  function showMatches() {
    var box = $("matches"), q = plain($("code").value.trim());
    box.textContent = "";
    if (q.length < 2) return;
    var shown = 0;
    list.invitations.forEach(function (inv) {
      if (shown >= 12 || !inv.code) return;
      if (plain(inv.name).indexOf(q) < 0 && inv.code.toLowerCase().indexOf(q) < 0) return;
      shown++;
      var li = document.createElement("li");
      li.className = inv.present ? "done" : (inv.status === "cancelled" ? "cancelled" : "");
      var span = document.createElement("span");
      span.textContent = inv.name;
      var small = document.createElement("small");
      small.textContent = (inv.group || "") + " · " + inv.code;
      span.appendChild(small);
      li.appendChild(span);
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = inv.present ? T.present : T.check_in;
      b.disabled = inv.present || inv.status !== "invited";
      b.addEventListener("click", function () { checkIn(inv.code, "manual"); });
      li.appendChild(b);
      box.appendChild(li);
    });
  }

  function download() {
    return fetch(listUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var pending = {};
        queue.forEach(function (q) { if (q.code) pending[q.code] = true; });
        data.invitations.forEach(function (i) { if (pending[i.code]) i.present = true; });
        queue.forEach(function (q) {
          if (q.walk_in) data.invitations.push({ code: "", name: q.walk_in.name, group: q.walk_in.organisation, kind: "walk_in", status: "invited", present: true });
        });
        list = data; save("list", list); render();
      });
  }

  function sync() {
    if (syncing || !navigator.onLine) { render(); return Promise.resolve(); }
    syncing = true;
    var batch = queue.slice(0, 500);
    var upload = batch.length ? fetch(syncUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify({ device: device, items: batch })
    }).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var answered = {};
        data.results.forEach(function (res) {
          answered[res.checkin_id] = true;
          if (res.status === "cancelled" || res.status === "waitlisted") {
            var inv = byCode(res.code); if (inv) { inv.present = false; inv.status = res.status; }
            verdict("refused", T.refused_at_sync + " " + (inv ? inv.name : res.code));
          }
        });
        queue = queue.filter(function (q) { return !answered[q.checkin_id]; });
        save("queue", queue);
      }) : Promise.resolve();
    var ok = false;
    return upload.then(download).then(function () { ok = true; }).catch(function () { render(); })
      .then(function () {
        syncing = false; render();
        if (ok && queue.length && navigator.onLine) sync();  /* what was queued while this upload ran */
      });
  }

  /* Scanning: the browser's own BarcodeDetector where it has one; typing the code or a name always works. */
  var scanning = false, stream = null;
  function stopScan() {
    scanning = false;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null; $("camera").hidden = true; $("scan").textContent = T.scan;
  }
  function startScan() {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { verdict("warn", T.no_scanner); $("code").focus(); return; }
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    var video = $("camera"), last = "", lastAt = 0;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s; scanning = true; video.srcObject = s; video.hidden = false; video.play();
      $("scan").textContent = T.stop_scan;
      (function tick() {
        if (!scanning) return;
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            var code = codeOf(codes[0].rawValue), now = Date.now();
            if (code !== last || now - lastAt > 4000) { last = code; lastAt = now; checkIn(code, "scan"); }
          }
        }).catch(function () {}).then(function () { setTimeout(tick, 300); });
      })();
    }).catch(function () { verdict("warn", T.no_camera); });
  }

  $("scan").addEventListener("click", function () { if (scanning) stopScan(); else startScan(); });
  $("by-code").addEventListener("submit", function (e) {
    e.preventDefault();
    var value = $("code").value;
    if (!value.trim()) return;
    var code = codeOf(value);
    if (byCode(code)) { checkIn(code, "manual"); $("code").value = ""; showMatches(); }
    else showMatches();
  });
  $("code").addEventListener("input", showMatches);
  $("walk-in").addEventListener("submit", function (e) {
    e.preventDefault();
    var name = $("walk-name").value.trim();
    if (!name) return;
    walkIn(name, $("walk-org").value.trim(), $("walk-hamlet").value);
    $("walk-name").value = ""; $("walk-org").value = "";
  });
  $("sync").addEventListener("click", function () { sync(); });
  window.addEventListener("online", function () { sync(); });
  window.addEventListener("offline", render);
  setInterval(function () { if (queue.length) sync(); }, 15000);
  render();
  if (navigator.onLine) { sync(); }
})();
