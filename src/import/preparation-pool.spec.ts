import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { CsvReader } from './csv-reader';
import { EventLoopTurns } from './write/event-loop-turns';
import { MappingDetector } from './mapping/mapping-detector';
import { Normalizer } from './normalize/normalizer';
import { PreparationPool, PreparedImport } from './preparation-pool';

const OPTIONS = { maxRows: 50_000, cleanup: true, batchSize: 1_000 };

function pool(threads: number): PreparationPool {
  const config = { import: { cleanupThreads: threads } } as AppConfig;
  return new PreparationPool(config, new CsvReader(), new MappingDetector(), new Normalizer(), new EventLoopTurns());
}

function csv(rows: number): Buffer {
  const lines = ['Email,Phone,Country,Industry'];
  for (let i = 0; i < rows; i++) lines.push(` User${i}@Example.com ,(415) 555-2671,US,${i % 2 ? 'Retail' : ''}`);
  lines.push('bad@,,,', 'user0@example.com,,,');
  return Buffer.from(lines.join('\n'));
}

/** Takes every batch and cleans each but its first row, as an import with that row known would. */
async function drain(prepared: PreparedImport) {
  const batches = [];
  for (let batch = await prepared.take(); ; batch = await prepared.take()) {
    const cleaned = await prepared.clean(batch.number, new Set(batch.rows.slice(0, 1).map((row) => row.identity)));
    batches.push({ ...batch, cleaned });
    if (batch.rows.length === 0) break;
  }
  prepared.close();
  return batches;
}

describe('PreparationPool', () => {
  it('on the main thread, cleans a few hundred rows per event-loop turn, so other requests get in between', async () => {
    const prepared = await pool(0).open(csv(1001), OPTIONS);
    const batch = await prepared.take();
    let turns = 0;
    let cleaning = true;
    const countTurns = () => {
      turns++;
      if (cleaning) setImmediate(countTurns);
    };
    setImmediate(countTurns);

    const cleaned = await prepared.clean(batch.number, new Set());
    cleaning = false;

    expect(cleaned).toHaveLength(1000);
    expect(cleaned[999]).toMatchObject({ ok: true, identity: 'user999@example.com' });
    expect(cleaned[0]).toMatchObject({ fields: { phone: '+14155552671' } });
    expect(turns).toBeGreaterThanOrEqual(4); // 1,000 rows in slices of 250
  });

  it('keeps TypeORM and all but a decorator of @nestjs/common out of its threads (~10 MB each)', () => {
    const script =
      "require('./src/import/preparation.worker'); console.log(JSON.stringify(Object.keys(require.cache)))";
    const loaded = execFileSync(process.execPath, ['--require', 'ts-node/register/transpile-only', '-e', script], {
      cwd: join(__dirname, '..', '..'),
      encoding: 'utf8',
    });
    const files = JSON.parse(loaded) as string[];
    expect(files.some((file) => file.includes('/libphonenumber-js/'))).toBe(true);
    expect(files.filter((file) => file.includes('/node_modules/typeorm/'))).toEqual([]);
    expect(files.filter((file) => file.endsWith('/@nestjs/common/index.js'))).toEqual([]);
  });

  describe('with a worker thread', () => {
    const threads = pool(1);
    afterAll(() => threads.onApplicationShutdown());

    it('answers exactly as the main thread does', async () => {
      const here = await pool(0).open(csv(2500), OPTIONS);
      const there = await threads.open(csv(2500), OPTIONS);

      expect(there.file).toEqual(here.file);
      expect(there.file).toMatchObject({ totalRows: 2502, customNames: ['Industry'] });
      const batches = await drain(there);
      expect(batches).toEqual(await drain(here));
      expect(batches.map((batch) => [batch.rows.length, batch.cleaned.length])).toEqual([
        [1000, 999],
        [1000, 999],
        [500, 499],
        [0, 0],
      ]);
      expect(batches[2]).toMatchObject({ errors: [{ row: 2501, error: 'Invalid email format' }], duplicates: 1 });
    });

    it('rejects an unreadable file with the reader’s ValidationError', async () => {
      await expect(threads.open(Buffer.from('"Email\na@x.io\n'), OPTIONS)).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
        message: expect.stringContaining('The header row cannot be read'),
      });
    });

    it('prepares on the main thread while its only thread has an import, and uses the thread again after', async () => {
      const first = await threads.open(csv(10), OPTIONS);
      const second = await threads.open(csv(10), OPTIONS);
      expect(second.constructor.name).toBe('LocalImport');
      expect(first.constructor.name).toBe('WorkerImport');
      second.close();
      await drain(first);
      // The worker's task ends once its port is closed; until then an import is prepared here.
      let third = await threads.open(csv(10), OPTIONS);
      for (let tries = 0; tries < 100 && third.constructor.name !== 'WorkerImport'; tries++) {
        third.close();
        await new Promise((resolve) => setTimeout(resolve, 20));
        third = await threads.open(csv(10), OPTIONS);
      }
      expect(third.constructor.name).toBe('WorkerImport');
      third.close();
    });
  });
});
