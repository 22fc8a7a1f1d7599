/**
 * The thread of WalCheckpoints: its own connection to the SQLite file, which copies the WAL's committed pages into the
 * database a few times a second. PASSIVE waits for no reader or writer, so the main thread's writes never wait for it.
 */
import Database from 'better-sqlite3';
import { workerData } from 'node:worker_threads';

export interface WalCheckpointSettings {
  path: string;
  intervalMs: number;
}

const { path, intervalMs } = workerData as WalCheckpointSettings;
const db = new Database(path, { fileMustExist: true });
// The main connection's settings: a checkpoint syncs the database file as SQLite's own would.
db.pragma('synchronous = NORMAL');

setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked: the next tick tries again, and the commit-time checkpoint remains the backstop.
  }
}, intervalMs);
