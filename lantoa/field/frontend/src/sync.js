// Sending the queue: when the connection returns, on a timer with exponential backoff, and on "Gửi ngay" — by the
// page while it is open; and, where the browser has Background Sync (Chrome on Android), by the service worker when
// the connection returns after the app was closed (background.js). Both hold the user's lock (navigator.locks)
// while sending. The server is idempotent on the event id, so an interrupted send just leaves the events 'chưa gửi'
// and they go again: 'duplicate' counts as sent.
import { PENDING, SENDING, SENT, ERROR } from "./store.js";

export const API = "/api/v1/field/";
export const BACKGROUND_TAG = "lantoa-field-send";
const FIRST_DELAY = 15000;
const MAX_DELAY = 15 * 60 * 1000;
const MAX_EVENTS = 200;
const MAX_BYTES = 1500000; // below Django's 2.5 MB request body limit, photos included

// A photo is kept on the device as a JPEG Blob (a third smaller than base64); events queued by app versions before
// that hold a base64 string. Both are sent as base64 (the API's format).
export function photoSize(photo) {
  if (!photo) return 0;
  return typeof photo === "string" ? photo.length : Math.ceil(photo.size / 3) * 4;
}

export async function photoBase64(photo) {
  if (!photo || typeof photo === "string") return photo || null;
  // From the bytes (Blob.arrayBuffer): the same in the page and in the service worker.
  const bytes = new Uint8Array(await photo.arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

// Ask the browser to wake the service worker when the connection is back, even if the app is closed by then
// (Background Sync: Chromium only; elsewhere the page sends when it is next opened).
export async function askBackgroundSend() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    await registration?.sync?.register(BACKGROUND_TAG);
  } catch {
    // not offered (another browser, or permission withheld): the page's own sending remains
  }
}

export function payload(e) {
  return {
    id: e.id,
    type: e.type,
    refers_to: e.refers_to || null,
    household_id: e.household_id,
    date: e.date,
    people: e.people,
    topics: e.topics,
    materials: e.materials,
    note: e.note,
    photo: null, // filled in by photoBase64 when sent
    recorded_at: e.recorded_at,
  };
}

export function batches(events) {
  const out = [];
  let batch = [];
  let size = 0;
  for (const e of events) {
    const bytes = JSON.stringify(payload(e)).length + photoSize(e.photo);
    if (batch.length && (batch.length >= MAX_EVENTS || size + bytes > MAX_BYTES)) {
      out.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(e);
    size += bytes;
  }
  if (batch.length) out.push(batch);
  return out;
}

export class Syncer {
  // session(): resolves to {ok, user_id, csrf} for the signed-in user (or {ok:false, status}); onChange(): redraw.
  constructor(store, userId, deviceId, session, onChange) {
    Object.assign(this, { store, userId, deviceId, session, onChange });
    this.delay = FIRST_DELAY;
    this.running = false;
    this.timer = null;
    this.message = "";
    this.lastSuccess = null;
    this.nextAt = null;
    if (typeof window !== "undefined") {
      addEventListener("online", () => {
        this.delay = FIRST_DELAY;
        this.run();
      });
    }
  }

  // The service worker has just sent in the background: with nothing left to send, the page's own retry and its
  // last failure are moot.
  async afterBackgroundSend() {
    if ((await this.store.inState(PENDING, SENDING)).length) return;
    clearTimeout(this.timer);
    this.nextAt = null;
    this.delay = FIRST_DELAY;
    this.message = "";
    this.lastSuccess = new Date();
  }

  schedule(ms) {
    clearTimeout(this.timer);
    this.nextAt = Date.now() + ms;
    this.timer = setTimeout(() => this.run(), ms);
  }

  async recover() {
    // A send cut short (tab closed, crash) left events 'đang gửi': they were not confirmed, so they go again. Under
    // the lock: a send the service worker is making right now is not cut short.
    const reset = async () => {
      const stuck = await this.store.inState(SENDING);
      if (stuck.length) await this.store.setState(stuck.map((e) => e.id), PENDING);
    };
    if (navigator.locks) await navigator.locks.request(this.lockName(), reset);
    else await reset();
  }

  // One send under the user's lock: the page and the service worker never send the same events at once.
  sendOnce() {
    if (navigator.locks) return navigator.locks.request(this.lockName(), () => this.send());
    return this.send();
  }

  lockName() {
    return `lantoa-field-sync-${this.userId}`;
  }

  async run() {
    if (this.running) return;
    this.running = true;
    let failed = false;
    try {
      await this.sendOnce();
    } catch (error) {
      failed = true;
      this.message = error.message || String(error);
    } finally {
      this.running = false;
      const left = await this.store.inState(PENDING);
      if (left.length) askBackgroundSend();
      if (failed) {
        this.schedule(this.delay);
        this.delay = Math.min(this.delay * 2, MAX_DELAY);
      } else {
        this.delay = FIRST_DELAY;
        if (left.length) this.schedule(this.delay);
        else {
          clearTimeout(this.timer);
          this.nextAt = null;
        }
      }
      this.onChange();
    }
  }

  async send() {
    const pending = await this.store.inState(PENDING);
    if (!pending.length) {
      this.message = "";
      return;
    }
    if (!navigator.onLine) throw new Error("Không có mạng: sẽ tự gửi khi có mạng.");
    const who = await this.session();
    if (!who.ok) throw new Error(who.message);
    if (who.user_id !== this.userId) throw new Error("Máy đang đăng nhập tài khoản khác: hàng đợi này chờ chủ của nó.");
    for (const batch of batches(pending)) {
      const ids = batch.map((e) => e.id);
      await this.store.setState(ids, SENDING);
      this.onChange();
      let data;
      try {
        const events = await Promise.all(batch.map(async (e) => ({ ...payload(e), photo: await photoBase64(e.photo) })));
        const response = await fetch(API + "sync", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": who.csrf },
          body: JSON.stringify({ device_id: this.deviceId, events }),
        });
        if (response.status === 401 || response.status === 403) throw new Error("Phiên đăng nhập đã hết: hãy đăng nhập lại.");
        if (!response.ok) throw new Error(`Máy chủ trả lỗi ${response.status}: sẽ thử lại.`);
        data = await response.json();
      } catch (error) {
        await this.store.setState(ids, PENDING);
        if (error instanceof TypeError) throw new Error("Mất kết nối khi đang gửi: sẽ thử lại.");
        throw error;
      }
      const answered = new Set();
      for (const result of data.results || []) {
        answered.add(result.id);
        if (result.status === "accepted" || result.status === "duplicate") {
          await this.store.setState([result.id], SENT, { contact_id: result.contact_id ?? null, sent_at: data.server_time, reason: "" });
        } else {
          await this.store.setState([result.id], ERROR, { reason: result.reason || "Máy chủ từ chối." });
        }
      }
      const unanswered = ids.filter((id) => !answered.has(id));
      if (unanswered.length) await this.store.setState(unanswered, PENDING);
    }
    this.message = "";
    this.lastSuccess = new Date();
  }
}
