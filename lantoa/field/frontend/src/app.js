// Lan Tỏa field app: the community digital team records household visits, with or without signal.
// Screens (hash routes): #/tai download, #/ghi record, #/hang-doi queue, #/tien-do progress, #/thong-tin talking
// points; #/h/<code> (the URL printed in the door sticker's QR code) selects that household on the record screen.
import * as S from "./store.js";
import { API, Syncer, askBackgroundSend } from "./sync.js";

const $ = (selector, root = document) => root.querySelector(selector);
const main = $("#main");
const USER_KEY = "lantoa-field-user";
const DEVICE_KEY = "lantoa-field-device";
const LAST_KEY = "lantoa-field-last-user"; // kept after sign-out: the sign-in screen says whose visits wait
const STATE_LABEL = {
  [S.PENDING]: "chưa gửi",
  [S.SENDING]: "đang gửi",
  [S.SENT]: "đã gửi",
  [S.ERROR]: "lỗi",
  [S.FIXED]: "đã sửa",
  [S.DISCARDED]: "đã bỏ",
};
const TYPE_LABEL = { visit: "Lượt thăm", correction: "Sửa", discard: "Hủy" };

const app = { user: null, me: null, store: null, syncer: null, assignment: null, selected: null, photo: null };

function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}
function when(iso) {
  if (!iso) return "chưa có";
  const d = new Date(iso);
  return isNaN(d) ? esc(iso) : d.toLocaleString("vi-VN", { dateStyle: "short", timeStyle: "short" });
}
function day(iso) {
  if (!iso) return "chưa có";
  const [y, m, d] = String(iso).slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}
function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
function cookie(name) {
  const found = document.cookie.split("; ").find((c) => c.startsWith(name + "="));
  return found ? decodeURIComponent(found.split("=")[1]) : "";
}
function toast(text) {
  const el = document.createElement("p");
  el.className = "toast";
  el.setAttribute("role", "status");
  el.textContent = text;
  document.body.append(el);
  setTimeout(() => el.remove(), 3500);
}

// --- Who is signed in: the server's word when online, else the last user this device saw.
async function fetchMe() {
  if (!navigator.onLine) return { ok: false, status: 0, message: "Không có mạng." };
  try {
    const response = await fetch("me.json", { credentials: "same-origin", cache: "no-store" });
    const type = response.headers.get("Content-Type") || "";
    if (!type.includes("json")) return { ok: false, status: response.status, message: "Cần xác thực lại: hãy đăng nhập." };
    const data = await response.json();
    if (!response.ok) return { ok: false, status: response.status, login_url: data.login_url, message: "Chưa đăng nhập." };
    return { ok: true, ...data };
  } catch {
    return { ok: false, status: 0, message: "Không có mạng." };
  }
}

async function session() {
  const me = await fetchMe();
  if (me.ok) app.me = me;
  return me.ok ? { ...me, csrf: me.csrf || cookie("csrftoken") } : me;
}

async function start() {
  // The network's state first: it does not wait for the user's data.
  addEventListener("online", net);
  addEventListener("offline", net);
  net();
  let user = JSON.parse(localStorage.getItem(USER_KEY) || "null");
  const me = await fetchMe();
  if (me.ok) {
    app.me = me;
    user = { id: me.user_id, name: me.name };
    localStorage.setItem(USER_KEY, JSON.stringify(user));
    localStorage.setItem(LAST_KEY, JSON.stringify(user));
  } else if (me.status) {
    // The server says nobody (or someone unverified) is signed in: the last user's queue stays in their database.
    localStorage.removeItem(USER_KEY);
    user = null;
  }
  if (!user) return signIn(me, JSON.parse(localStorage.getItem(LAST_KEY) || "null"));
  app.user = user;
  if (!localStorage.getItem(DEVICE_KEY)) localStorage.setItem(DEVICE_KEY, uuid());
  app.store = await S.open(user.id);
  app.assignment = (await app.store.get("assignment")) || null;
  // The device's id, where the service worker finds it too when it sends in the background.
  await app.store.set("device_id", localStorage.getItem(DEVICE_KEY));
  app.syncer = new Syncer(app.store, user.id, localStorage.getItem(DEVICE_KEY), session, () => refresh());
  await app.syncer.recover();
  // The service worker sent the queue in the background: show the new states.
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data === "lantoa-field-queue") app.syncer.afterBackgroundSend().then(refresh);
  });
  $("#who").textContent = user.name;
  addEventListener("hashchange", route);
  await route();
  app.syncer.run();
}

async function signIn(me, previous) {
  const next = encodeURIComponent(location.pathname + location.hash);
  const login = `/admin/login/?next=${next}`;
  let waiting = 0;
  if (previous) waiting = (await (await S.open(previous.id)).inState(...S.UNSENT)).length;
  main.innerHTML = me.status
    ? `<h1>Đăng nhập</h1><p>Đăng nhập bằng tài khoản Lan Tỏa của bạn để tải phân công và ghi lượt thăm.</p>
       ${waiting ? `<p class="muted">${waiting} lượt thăm chưa gửi của ${esc(previous.name)} vẫn được giữ trên máy này; chúng sẽ được gửi khi người đó đăng nhập lại.</p>` : ""}
       <p><a class="button" href="${esc(login)}">Đăng nhập</a></p>`
    : `<h1>Cần có mạng</h1><p>Lần đầu dùng trên máy này, hãy mở ứng dụng khi có mạng để đăng nhập.</p>`;
}

function net() {
  const el = $("#net");
  el.textContent = navigator.onLine ? "Có mạng" : "Ngoại tuyến";
  el.className = navigator.onLine ? "net on" : "net off";
}

// --- Router
const SCREENS = { tai: download, ghi: record, "hang-doi": queue, "tien-do": progress, "thong-tin": talkingPoints };

// Screens are drawn one after another: a hash changed while one is being drawn (a tap during the start, a scanned
// sticker) is drawn after it, never under it (the slower, older screen used to end on top).
let routing = Promise.resolve();
function route() {
  routing = routing.then(draw, draw);
  return routing;
}

async function draw() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [name, arg] = hash.split("/");
  if (name === "h" && arg) {
    app.selected = findByCode(decodeURIComponent(arg)) || { missing: decodeURIComponent(arg) };
    history.replaceState(null, "", "#/ghi");
    return draw();
  }
  const screen = SCREENS[name] ? name : app.assignment ? "ghi" : "tai";
  for (const a of document.querySelectorAll(".tabs a")) a.toggleAttribute("aria-current", a.dataset.tab === screen);
  await SCREENS[screen](arg);
  await badge();
}

async function refresh() {
  await badge();
  const hash = location.hash.replace(/^#\/?/, "");
  if (hash.startsWith("hang-doi")) await queue();
}

async function badge() {
  const unsent = await app.store.inState(...S.UNSENT);
  $("#badge").textContent = unsent.length ? String(unsent.length) : "";
}

function findByCode(code) {
  const households = app.assignment?.households || [];
  const wanted = code.trim().toUpperCase();
  return households.find((h) => String(h.code).toUpperCase() === wanted) || null;
}

function hamletName(id) {
  return app.assignment?.hamlets.find((h) => h.id === id)?.name || "";
}

// --- Tải phân công
async function download() {
  const a = app.assignment;
  const downloaded = await app.store.get("downloaded_at");
  let storage = "không rõ";
  let persisted = false;
  if (navigator.storage?.estimate) {
    const { usage = 0, quota = 0 } = await navigator.storage.estimate();
    storage = `${(usage / 1048576).toFixed(1)} MB / ${(quota / 1048576).toFixed(0)} MB`;
  }
  if (navigator.storage?.persisted) persisted = await navigator.storage.persisted();
  main.innerHTML = `<h1>Tải phân công</h1>
    <p>Tải trước khi đi: danh sách thôn, hộ và tài liệu tuyên truyền được lưu trên máy để dùng khi không có mạng.</p>
    <p><button type="button" id="dl" class="button">Tải phân công</button></p>
    <dl class="facts">
      <dt>Xã</dt><dd>${a ? esc(a.commune.name) : "chưa tải"}</dd>
      <dt>Thôn</dt><dd>${a ? a.hamlets.length : 0}</dd>
      <dt>Hộ</dt><dd id="n-households">${a ? a.households.length : 0}</dd>
      <dt>Tài liệu</dt><dd>${a ? a.talking_points.length : 0}</dd>
      <dt>Tải lúc</dt><dd id="downloaded">${when(downloaded)}</dd>
      <dt>Số liệu đến</dt><dd>${a ? day(a.as_of) : "chưa có"}</dd>
      <dt>Dung lượng</dt><dd id="storage">${esc(storage)}</dd>
      <dt>Lưu lâu dài</dt><dd>${persisted ? "có (trình duyệt không tự xóa)" : "chưa được cấp"}</dd>
    </dl>
    <p>Tài khoản: <strong>${esc(app.user.name)}</strong></p>
    <p><button type="button" id="logout" class="button secondary">Đăng xuất</button></p>`;
  $("#dl").onclick = async (event) => {
    event.target.disabled = true;
    event.target.textContent = "Đang tải…";
    try {
      const response = await fetch(API + "assignment", { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) throw new Error(response.status === 401 || response.status === 403 ? "Cần đăng nhập lại." : `Lỗi ${response.status}`);
      const data = await response.json();
      app.assignment = data;
      await app.store.set("assignment", data);
      await app.store.set("downloaded_at", new Date().toISOString());
      if (navigator.storage?.persist) await navigator.storage.persist();
      import("./qr.js").catch(() => {}); // the scanner's decoder, so it is on the device before going out
      toast(`Đã tải ${data.households.length} hộ.`);
    } catch (error) {
      toast(error instanceof TypeError ? "Không có mạng: chưa tải được." : error.message);
    }
    if (location.hash.startsWith("#/tai")) await download(); // unless the user went to another screen meanwhile
  };
  $("#logout").onclick = logout;
}

async function logout() {
  const unsent = await app.store.inState(...S.UNSENT);
  if (unsent.length) {
    const ok = confirm(
      `Còn ${unsent.length} lượt thăm chưa gửi. Chúng được giữ trên máy cho riêng tài khoản này và sẽ gửi khi bạn đăng nhập lại. Vẫn đăng xuất?`
    );
    if (!ok) return;
  }
  const me = await session();
  localStorage.removeItem(USER_KEY);
  if (!me.ok) return location.reload();
  const form = document.createElement("form");
  form.method = "post";
  form.action = me.logout_url;
  form.innerHTML = `<input type="hidden" name="csrfmiddlewaretoken" value="${esc(me.csrf)}"><input type="hidden" name="next" value="/thuc-dia/">`;
  document.body.append(form);
  form.submit();
}

// --- Ghi lượt thăm
async function record(arg) {
  const a = app.assignment;
  if (!a) {
    main.innerHTML = `<h1>Ghi lượt thăm</h1><p>Chưa có phân công trên máy. <a href="#/tai">Tải phân công</a> trước khi đi.</p>`;
    return;
  }
  // #/ghi/<id>: fix a refused event (a new event; the refused one stays, marked 'đã sửa'), or correct a visit the
  // server accepted (a correction event referring to it).
  let original = null;
  if (arg) {
    original = await app.store.event(arg);
    if (original) app.selected = a.households.find((h) => h.id === original.household_id) || app.selected;
  }
  const h = app.selected;
  const names = a.can_see_names;
  const topics = a.topics
    .map(
      (t) =>
        `<label class="check"><input type="checkbox" name="topic" value="${esc(t.id)}"${original?.topics?.includes(t.id) ? " checked" : ""}> ${esc(t.name)}</label>`
    )
    .join("");
  main.innerHTML = `<h1>${original ? "Sửa lượt thăm" : "Ghi lượt thăm"}</h1>
    ${original?.reason ? `<p class="error">Máy chủ đã từ chối: ${esc(original.reason)}</p>` : ""}
    <div class="search">
      <label for="q">Hộ: tìm theo mã${names ? " hoặc tên chủ hộ" : ""}</label>
      <div class="row"><input id="q" type="search" autocomplete="off" inputmode="${names ? "text" : "search"}" placeholder="VD: NC01-0001">
      <button type="button" id="scan" class="button secondary">Quét QR</button></div>
      <ul id="hits" class="hits"></ul>
    </div>
    <div id="household">${householdCard(h)}</div>
    <form id="visit" ${h && !h.missing ? "" : "hidden"}>
      <label>Ngày thăm <input type="date" name="date" required value="${esc(original?.date || today())}" max="${today()}"></label>
      <label>Số người có mặt <input type="number" name="people" min="1" max="50" required value="${esc(original?.people ?? 1)}"></label>
      <fieldset><legend>Nội dung đã trao đổi</legend>${topics || "<p class=muted>Phân công không có chủ đề.</p>"}</fieldset>
      <label>Tài liệu để lại <input type="text" name="materials" maxlength="200" value="${esc(original?.materials || "")}" placeholder="VD: 1 tờ rơi"></label>
      <label>Ảnh (không bắt buộc) <input type="file" name="photo" accept="image/*" capture="environment"></label>
      <img id="preview" class="preview" alt="Ảnh đã chọn" hidden>
      <label>Ghi chú <textarea name="note" rows="3" maxlength="300">${esc(original?.note || "")}</textarea></label>
      <button type="submit" class="button">${original ? "Lưu bản sửa" : "Lưu lượt thăm"}</button>
    </form>`;
  app.photo = original?.photo || null;
  if (app.photo) showPreview(app.photo);
  const q = $("#q");
  q.oninput = () => {
    const term = q.value.trim().toLowerCase();
    const hits = term
      ? a.households
          .filter((x) => String(x.code).toLowerCase().includes(term) || (names && String(x.head_name || "").toLowerCase().includes(term)))
          .slice(0, 20)
      : [];
    $("#hits").innerHTML = hits
      .map(
        (x) =>
          `<li><button type="button" data-id="${esc(x.id)}">${esc(x.code)}${names && x.head_name ? " — " + esc(x.head_name) : ""} <small>${esc(hamletName(x.hamlet_id))}</small></button></li>`
      )
      .join("");
  };
  $("#hits").onclick = (event) => {
    const button = event.target.closest("button[data-id]");
    if (!button) return;
    app.selected = a.households.find((x) => String(x.id) === button.dataset.id);
    record(original?.id);
  };
  $("#scan").onclick = () => scan(original?.id);
  const form = $("#visit");
  form.photo.onchange = async () => {
    const file = form.photo.files[0];
    app.photo = file ? await resize(file) : null;
    showPreview(app.photo);
  };
  form.onsubmit = async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const visit = {
      id: uuid(),
      ...change(original),
      household_id: app.selected.id,
      household_code: app.selected.code,
      hamlet_id: app.selected.hamlet_id,
      date: data.get("date"),
      people: Number(data.get("people")),
      topics: data.getAll("topic").map((t) => (isNaN(Number(t)) ? t : Number(t))),
      materials: data.get("materials").trim(),
      note: data.get("note").trim(),
      photo: app.photo,
      recorded_at: new Date().toISOString(),
      state: S.PENDING,
      reason: "",
    };
    await app.store.add(visit);
    if (original?.state === S.ERROR) await app.store.setState([original.id], S.FIXED);
    app.selected = null;
    app.photo = null;
    toast(`Đã lưu lượt thăm hộ ${visit.household_code} (chưa gửi).`);
    if (original) location.hash = "#/hang-doi";
    else await record();
    await badge();
    if (navigator.onLine) app.syncer.run();
    else askBackgroundSend();
  };
}

// The kind of a new event made from an earlier one: a refused visit fixed is a new visit (linked to it); a refused
// correction fixed is a new correction of the same visit; an accepted visit changed is a correction of it.
function change(original) {
  if (!original) return { type: "visit", refers_to: null };
  if (original.state === S.ERROR) return { type: original.type, refers_to: original.type === "visit" ? original.id : original.refers_to };
  return { type: "correction", refers_to: original.type === "visit" ? original.id : original.refers_to };
}

function householdCard(h) {
  if (!h) return `<p class="muted">Chưa chọn hộ.</p>`;
  if (h.missing) return `<p class="error">Không có hộ mã ${esc(h.missing)} trong phân công đã tải.</p>`;
  return `<div class="card" id="selected" data-code="${esc(h.code)}"><strong>Hộ ${esc(h.code)}</strong>
    ${h.head_name ? `<br>${esc(h.head_name)}` : ""}
    <br><small>${esc(hamletName(h.hamlet_id))} · ${esc(h.members)} nhân khẩu · lần gần nhất: ${day(h.last_contact)}</small></div>`;
}

// photo: a Blob, or a base64 string (an event queued by an app version before photos were kept as Blobs).
function showPreview(photo) {
  const img = $("#preview");
  if (!img) return;
  if (img.src.startsWith("blob:")) URL.revokeObjectURL(img.src);
  img.hidden = !photo;
  if (photo) img.src = typeof photo === "string" ? "data:image/jpeg;base64," + photo : URL.createObjectURL(photo);
}

// The photo is shrunk on the device (≤1280 px, JPEG) before it is stored or sent; kept as a Blob in IndexedDB.
async function resize(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 1280 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.75));
}

// QR scanning: BarcodeDetector where the browser has it, else jsQR loaded on demand.
async function scan(originalId) {
  const overlay = document.createElement("div");
  overlay.className = "scanner";
  overlay.innerHTML = `<video playsinline muted></video><p>Hướng camera vào mã QR trên cửa.</p><button type="button" class="button">Đóng</button>`;
  document.body.append(overlay);
  const video = $("video", overlay);
  let stream = null;
  let done = false;
  const close = () => {
    done = true;
    stream?.getTracks().forEach((t) => t.stop());
    overlay.remove();
  };
  $("button", overlay).onclick = close;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    video.srcObject = stream;
    await video.play();
    let detect;
    if ("BarcodeDetector" in window && (await BarcodeDetector.getSupportedFormats()).includes("qr_code")) {
      const detector = new BarcodeDetector({ formats: ["qr_code"] });
      detect = async () => (await detector.detect(video))[0]?.rawValue || null;
    } else {
      const { decode } = await import("./qr.js");
      const canvas = document.createElement("canvas");
      const ctx = canvas.getContext("2d", { willReadFrequently: true });
      detect = async () => {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        ctx.drawImage(video, 0, 0);
        return decode(ctx.getImageData(0, 0, canvas.width, canvas.height));
      };
    }
    while (!done) {
      const text = video.readyState >= 2 ? await detect() : null;
      if (text) {
        const code = decodeURIComponent((text.match(/#\/h\/([^/?#]+)/) || [null, text])[1]);
        close();
        app.selected = findByCode(code) || { missing: code };
        return record(originalId);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (error) {
    close();
    toast("Không mở được camera: hãy tìm hộ theo mã.");
  }
}

// --- Hàng đợi
async function queue() {
  const events = (await app.store.events()).reverse();
  const s = app.syncer;
  const counts = {};
  for (const e of events) counts[e.state] = (counts[e.state] || 0) + 1;
  const withdrawn = new Set(events.filter((e) => e.type === "discard" && e.state !== S.ERROR && e.state !== S.DISCARDED).map((e) => e.refers_to));
  const rows = events
    .filter((e) => e.state !== S.DISCARDED)
    .map(
      (e) => `<li class="event ${e.state}" data-id="${esc(e.id)}">
        <span class="state">${STATE_LABEL[e.state]}</span>
        <strong>${TYPE_LABEL[e.type] || esc(e.type)} hộ ${esc(e.household_code)}</strong> · ${day(e.date)} · ${esc(e.people)} người
        ${e.state === S.ERROR ? `<p class="error">${esc(e.reason)}</p>
          <p><a class="button small" href="#/ghi/${esc(e.id)}">Sửa</a> <button type="button" class="button small secondary" data-discard="${esc(e.id)}">Bỏ</button></p>` : ""}
        ${e.state === S.SENT && e.type !== "discard" && !withdrawn.has(e.type === "visit" ? e.id : e.refers_to) ? `<p><a class="button small secondary" href="#/ghi/${esc(e.id)}">Sửa</a> <button type="button" class="button small secondary" data-withdraw="${esc(e.id)}">Hủy lượt thăm</button></p>` : ""}
      </li>`
    )
    .join("");
  main.innerHTML = `<h1>Hàng đợi</h1>
    <p class="summary">Chưa gửi: <b id="n-pending">${(counts[S.PENDING] || 0) + (counts[S.SENDING] || 0)}</b> ·
      Lỗi: <b id="n-error">${counts[S.ERROR] || 0}</b> · Đã gửi: <b id="n-sent">${counts[S.SENT] || 0}</b></p>
    <p><button type="button" id="send" class="button"${s.running ? " disabled" : ""}>${s.running ? "Đang gửi…" : "Gửi ngay"}</button></p>
    <p class="muted" id="sync-status">${esc(s.message)}${s.lastSuccess ? ` Lần gửi được gần nhất: ${when(s.lastSuccess)}.` : ""}${
      s.nextAt && !s.running ? ` Tự thử lại lúc ${new Date(s.nextAt).toLocaleTimeString("vi-VN")}.` : ""
    }</p>
    <ul class="events">${rows || "<li class=muted>Chưa có lượt thăm nào.</li>"}</ul>`;
  $("#send").onclick = () => {
    s.delay = 15000;
    s.run();
    queue();
  };
  main.querySelector(".events").onclick = async (event) => {
    const sent = event.target.dataset?.withdraw;
    if (sent) {
      const e = await app.store.event(sent);
      if (!confirm(`Hủy lượt thăm hộ ${e.household_code} ngày ${day(e.date)}? Lượt tiếp cận sẽ bị xóa khỏi số liệu.`)) return;
      await app.store.add({
        ...e,
        id: uuid(),
        type: "discard",
        refers_to: e.type === "visit" ? e.id : e.refers_to,
        photo: null,
        recorded_at: new Date().toISOString(),
        state: S.PENDING,
        reason: "",
        contact_id: null,
      });
      await queue();
      await badge();
      if (navigator.onLine) s.run();
      else askBackgroundSend();
      return;
    }
    const id = event.target.dataset?.discard;
    if (!id || !confirm("Bỏ lượt thăm bị từ chối này? Nó sẽ không được gửi nữa.")) return;
    await app.store.setState([id], S.DISCARDED);
    await queue();
    await badge();
  };
}

// --- Tiến độ: the last download plus this user's own visits recorded since (not refused, not discarded).
async function progress() {
  const a = app.assignment;
  if (!a) {
    main.innerHTML = `<h1>Tiến độ</h1><p>Chưa có phân công trên máy. <a href="#/tai">Tải phân công</a>.</p>`;
    return;
  }
  const downloaded = (await app.store.get("downloaded_at")) || "";
  const yearStart = `${String(a.as_of).slice(0, 4)}-01-01`;
  const events = await app.store.events();
  const live = [S.PENDING, S.SENDING, S.SENT];
  const withdrawn = new Set(events.filter((e) => e.type === "discard" && live.includes(e.state)).map((e) => e.refers_to));
  const own = new Set(
    events
      .filter((e) => e.type === "visit" && live.includes(e.state) && e.recorded_at > downloaded && !withdrawn.has(e.id))
      .filter((e) => e.date >= yearStart)
      .map((e) => e.household_id)
  );
  // Reached this year (reach's figure): a last contact dated this year.
  const reachedBefore = (h) => h.last_contact && h.last_contact >= yearStart;
  const sections = a.hamlets
    .map((hamlet) => {
      const households = a.households.filter((h) => h.hamlet_id === hamlet.id);
      const notYet = households.filter((h) => !reachedBefore(h) && !own.has(h.id));
      const added = households.filter((h) => !reachedBefore(h) && own.has(h.id)).length;
      const reached = hamlet.reached + added;
      const total = hamlet.households_total || households.length;
      const percent = total ? Math.round((100 * reached) / total) : 0;
      const target = hamlet.target_percent;
      const needed = target == null ? 0 : Math.max(0, Math.ceil((total * target) / 100) - reached);
      return `<section class="hamlet" data-hamlet="${esc(hamlet.id)}">
        <h2>${esc(hamlet.name)}</h2>
        <p><b class="reached">${reached}</b>/${total} hộ (${percent}%) · ${target == null ? "chưa đặt mục tiêu" : `mục tiêu ${esc(target)}%`}${added ? ` · gồm ${added} lượt của bạn chưa có trong số liệu tải về` : ""}</p>
        <div class="bar-track" role="img" aria-label="${percent}% trên ${target == null ? "chưa đặt mục tiêu" : `mục tiêu ${esc(target)}%`}">
          <div class="bar-fill" style="width:${Math.min(100, percent)}%"></div>
          ${target == null ? "" : `<div class="bar-target" style="left:${Math.min(100, target)}%"></div>`}</div>
        <p>${target == null ? "" : needed ? `Cần thêm ${needed} hộ để đạt mục tiêu.` : "Đã đạt mục tiêu."}</p>
        <details><summary>Chưa tiếp cận: ${notYet.length} hộ</summary>
          <ul class="codes">${notYet.map((h) => `<li><a href="#/h/${esc(encodeURIComponent(h.code))}">${esc(h.code)}</a>${h.head_name ? " " + esc(h.head_name) : ""}</li>`).join("")}</ul>
        </details></section>`;
    })
    .join("");
  main.innerHTML = `<h1>Tiến độ</h1><p class="muted">Theo số liệu tải lúc ${when(downloaded)} và các lượt thăm bạn ghi sau đó.</p>${sections}`;
}

// --- Thông tin: talking points, readable offline.
async function talkingPoints() {
  const points = app.assignment?.talking_points || [];
  const kinds = { column: "Chuyên mục", radio: "Bản tin truyền thanh" };
  main.innerHTML = `<h1>Thông tin tuyên truyền</h1>${
    points.length
      ? points
          .map(
            (p) => `<article class="point"><h2>${esc(p.title)}</h2><p class="muted">${esc(kinds[p.kind] || p.kind)} · ${day(p.date)}</p>
            ${p.summary ? `<p><strong>${esc(p.summary)}</strong></p>` : ""}
            ${String(p.text || "")
              .split(/\n+/)
              .filter(Boolean)
              .map((line) => `<p>${esc(line)}</p>`)
              .join("")}</article>`
          )
          .join("")
      : `<p>Chưa có tài liệu. <a href="#/tai">Tải phân công</a> để có tài liệu mới nhất.</p>`
  }`;
}

// --- Service worker: cache-first shell; a new version waits until the user reloads onto it.
function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("sw.js", { scope: "./" }).then((registration) => {
    const offer = (worker) => {
      const banner = $("#update");
      banner.hidden = false;
      $("#reload").onclick = () => worker.postMessage("skip-waiting");
    };
    if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker?.addEventListener("statechange", () => {
        if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
      });
    });
  });
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (!reloading && !$("#update").hidden) {
      reloading = true;
      location.reload();
    }
  });
}

registerWorker();
start().catch((error) => {
  main.innerHTML = `<p class="error">Lỗi khi mở ứng dụng: ${esc(error.message)}</p>`;
});
