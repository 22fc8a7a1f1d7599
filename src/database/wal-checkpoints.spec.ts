import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig, loadConfig } from '../config/app-config';
import { WalCheckpoints } from './wal-checkpoints';

describe('WalCheckpoints', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'leadport-wal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const configFor = (url: string): AppConfig => loadConfig({ DATABASE_URL: url });

  /** A database whose writes stay in the WAL: SQLite's own commit-time checkpoints are off. */
  function databaseWithUncheckpointedWrites(path: string): Database.Database {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (value TEXT)');
    const insert = db.prepare('INSERT INTO t (value) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2_000; i++) insert.run('x'.repeat(500));
    })();
    return db;
  }

  it('copies committed pages from the WAL into the database file in its own thread', async () => {
    const path = join(dir, 'test.sqlite');
    const db = databaseWithUncheckpointedWrites(path);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(1_000_000);

    const checkpoints = new WalCheckpoints(configFor(`sqlite:${path}`));
    checkpoints.start();
    try {
      const deadline = Date.now() + 15_000;
      // The file grows as the checkpoint copies pages: wait for all of them, not for the first.
      while (statSync(path).size <= 1_000_000 && Date.now() < deadline) await sleep(50);
      expect(statSync(path).size).toBeGreaterThan(1_000_000);
      expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 2_000 });
    } finally {
      await checkpoints.onApplicationShutdown();
      db.close();
    }
  });

  it('starts no thread for an in-memory database or MySQL', async () => {
    for (const url of ['sqlite::memory:', 'mysql://root@127.0.0.1:3306/none']) {
      const checkpoints = new WalCheckpoints(configFor(url));
      checkpoints.start();
      expect((checkpoints as unknown as { worker?: unknown }).worker).toBeUndefined();
      await checkpoints.onApplicationShutdown();
    }
  });
});
