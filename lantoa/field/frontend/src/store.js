// Each user's own IndexedDB database on the device: their assignment and their append-only queue of events.
// A database per user means a shared phone never mixes two users' queues, and logging out deletes nothing.
import { openDB } from "idb";

// Schema versions of the database. Add a step, never change one: a phone may skip several versions of the app,
// and its queued events must survive every upgrade (the service worker never deletes IndexedDB).
const VERSION = 1;
function upgrade(db, oldVersion) {
  if (oldVersion < 1) {
    db.createObjectStore("kv");
    const events = db.createObjectStore("events", { keyPath: "id" });
    events.createIndex("state", "state");
  }
}

// States of a queued event.
export const PENDING = "pending"; // chưa gửi
export const SENDING = "sending"; // đang gửi
export const SENT = "sent"; // đã gửi (accepted or duplicate: the server has it)
export const ERROR = "error"; // lỗi: refused by the server, waits for a fix or a discard
export const FIXED = "fixed"; // a refused event the user corrected (the correction is its own event)
export const DISCARDED = "discarded"; // a refused event the user gave up on
export const UNSENT = [PENDING, SENDING, ERROR];

export function dbName(userId) {
  return `lantoa-field-u${userId}`;
}

export async function open(userId) {
  const db = await openDB(dbName(userId), VERSION, {
    upgrade,
    blocking() {
      // A newer app version in another tab wants to upgrade the schema: let it, and reload onto it (a page; the
      // service worker just lets go).
      db.close();
      if (typeof window !== "undefined") location.reload();
    },
  });
  return new Store(db);
}

class Store {
  constructor(db) {
    this.db = db;
  }
  get(key) {
    return this.db.get("kv", key);
  }
  set(key, value) {
    return this.db.put("kv", value, key);
  }
  async events() {
    const all = await this.db.getAll("events");
    return all.sort((a, b) => (a.recorded_at < b.recorded_at ? -1 : 1));
  }
  event(id) {
    return this.db.get("events", id);
  }
  add(event) {
    return this.db.add("events", event);
  }
  put(event) {
    return this.db.put("events", event);
  }
  async inState(...states) {
    const found = [];
    for (const state of states) found.push(...(await this.db.getAllFromIndex("events", "state", state)));
    return found.sort((a, b) => (a.recorded_at < b.recorded_at ? -1 : 1));
  }
  async setState(ids, state, extra = {}) {
    const tx = this.db.transaction("events", "readwrite");
    for (const id of ids) {
      const event = await tx.store.get(id);
      if (event) await tx.store.put({ ...event, ...extra, state });
    }
    await tx.done;
  }
}
