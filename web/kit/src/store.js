// The device's storage for every app: one IndexedDB database (through `idb`) with the outbox of
// writes not yet sent and the last copy of the data each screen read.
import { openDB } from "idb";

const NAME = "buurtwerk";
const VERSION = 1;
let opened = null;

/** The database, opened once per page (an older page open in another tab is asked to close). */
export function database() {
  opened ??= openDB(NAME, VERSION, {
    upgrade(db) {
      // In the order the writes were made: `seq` is given by IndexedDB inside the transaction
      // that stores the write, so two tabs never give the same number.
      const outbox = db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
      outbox.createIndex("key", "key", { unique: true });
      outbox.createIndex("app", "app");
      db.createObjectStore("cache", { keyPath: "id" });
    },
    blocking(_current, _next, event) {
      event.target.close();
      opened = null;
    },
  });
  return opened;
}
