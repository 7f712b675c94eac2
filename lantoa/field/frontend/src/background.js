// The service worker's half of sending the queue (imported by sw.js with importScripts): when the browser says the
// connection is back (Background Sync, registered by the page with askBackgroundSend), it sends the queue of the
// user signed in on this browser — the server's word, from me.json — and nobody else's: another user's queue on a
// shared phone waits for them. It sends as the page does (the same Syncer, under the same lock), then tells any
// open page to redraw. A failure makes the browser try again later, with its own backoff.
import { open } from "./store.js";
import { BACKGROUND_TAG, Syncer } from "./sync.js";

async function signedIn() {
  const response = await fetch(new URL("me.json", self.registration.scope), { credentials: "same-origin", cache: "no-store" });
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok || !type.includes("json")) return null;
  const me = await response.json();
  return me.user_id ? { ok: true, ...me } : null;
}

async function sendQueue() {
  const me = await signedIn(); // offline: throws, and the browser tries again later
  if (!me) return; // nobody signed in (or not verified yet): the queue waits on the phone for its user
  const store = await open(me.user_id);
  try {
    const deviceId = (await store.get("device_id")) || "service-worker";
    const syncer = new Syncer(store, me.user_id, deviceId, async () => me, () => {});
    await syncer.sendOnce();
  } finally {
    store.db.close();
    for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage("lantoa-field-queue");
  }
}

self.addEventListener("sync", (event) => {
  if (event.tag === BACKGROUND_TAG) event.waitUntil(sendQueue());
});
