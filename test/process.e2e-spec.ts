import { DATABASES } from './support/databases';
import { expectCountsAddUp, uniqueLeadsCsv } from './support/import';
import { buildServer, ServerProcess, serverPerTest, stopAllServers, waitFor } from './support/server-process';

interface Envelope<T> {
  success: boolean;
  data: T;
  error?: { code: string; message: string };
}

interface ImportReport {
  importId: string;
  imported: number;
  updated: number;
  skipped: number;
  failed: number;
  importedLeadIds: string[];
  csvInfo: { totalRows: number };
}

interface ImportSummary {
  id: string;
  status: string;
  imported: number;
  failureReason: string | null;
}

interface ImportRow {
  status: string;
  imported: number | string;
  reason: string | null;
}

const ROWS = 50_000;
const BATCH_SIZE = 1_000;
/**
 * For the SIGTERM tests: the stale sweep must not mark a live import whose heartbeat a loaded CI machine delayed
 * past the SIGKILL test's 2 s window (ServerProcess's default).
 */
const NO_SWEEP = '600000';

beforeAll(() => buildServer(), 300_000);
afterAll(() => stopAllServers());

for (const kind of DATABASES) {
  describe(`the built server killed or stopped mid-import [${kind}]`, () => {
    const { start, probe } = serverPerTest(kind);

    const leadCount = () => probe().number('SELECT COUNT(*) AS n FROM leads');

    /** Waits until the running import has committed its first batch (the server is then writing). */
    const firstBatchCommitted = () =>
      waitFor('the first committed batch', async () => ((await leadCount()) > 0 ? true : undefined), {
        intervalMs: 5,
      });

    const importStatus = async () => {
      const records = await probe().rows<ImportRow>('SELECT status, imported, failure_reason AS reason FROM imports');
      expect(records).toHaveLength(1);
      return records[0].status;
    };

    /** Resolves once the server refuses new connections: its shutdown has begun. */
    const listenerClosed = (server: ServerProcess) =>
      waitFor('the listener to close', async () => ((await server.acceptsConnections()) ? undefined : true));

    it('SIGKILL: only whole batches stay, the import becomes interrupted, and a re-send completes it', async () => {
      const csv = uniqueLeadsCsv(ROWS, 'sigkill.test');
      const first = await start();
      const upload = first.postCsv(csv).then(
        () => 'answered',
        () => 'connection lost',
      );
      await firstBatchCommitted();
      first.signal('SIGKILL');
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
      expect(await upload).toBe('connection lost');

      // Every committed batch inserted exactly 1,000 new leads; a batch caught mid-write left nothing.
      const written = await leadCount();
      expect(written % BATCH_SIZE).toBe(0);
      expect(written).toBeGreaterThan(0);
      expect(written).toBeLessThan(ROWS);

      const second = await start({ apiKey: first.apiKey });
      const record = await waitFor(
        'the stale sweep to mark the import interrupted',
        async () => {
          const res = await second.request<Envelope<{ imports: ImportSummary[] }>>('/v1/leads/imports');
          const [latest] = res.body.data.imports;
          return latest?.status === 'interrupted' ? latest : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 250 },
      );
      expect(record.failureReason).toContain('send the same file again');
      expect(record.imported).toBeLessThanOrEqual(written); // the last heartbeat's progress
      expect(await leadCount()).toBe(written);

      const again = await second.postCsv<Envelope<ImportReport>>(csv);
      expect(again.status).toBe(200);
      expect(again.body.data).toMatchObject({ imported: ROWS - written, updated: 0, skipped: written, failed: 0 });
      expectCountsAddUp(again.body.data);
      expect(await leadCount()).toBe(ROWS);
    }, 180_000);

    it('SIGKILL after some batches: the interrupted record counts exactly what they committed', async () => {
      // Every 10th row fails: the record's counts must hold written leads and failed rows alike.
      const rows = Array.from({ length: 30_000 }, (_, i) => (i % 10 === 9 ? `bad${i}` : `lead${i}@counts.test`));
      const csv = `Email\r\n${rows.join('\r\n')}\r\n`;
      const valid = rows.filter((email) => email.includes('@')).length;
      const first = await start();
      const upload = first.postCsv(csv).then(
        () => 'answered',
        () => 'connection lost',
      );
      const batches = () => probe().number('SELECT COUNT(*) AS n FROM import_batches');
      await waitFor('three committed batches', async () => ((await batches()) >= 3 ? true : undefined), {
        intervalMs: 5,
      });
      first.signal('SIGKILL');
      expect(await upload).toBe('connection lost');
      const written = await leadCount();
      expect(written).toBeLessThan(valid);

      const second = await start({ apiKey: first.apiKey });
      const record = await waitFor(
        'the stale sweep to mark the import interrupted',
        async () => {
          const res =
            await second.request<Envelope<{ imports: Array<ImportSummary & ImportReport> }>>('/v1/leads/imports');
          const [latest] = res.body.data.imports;
          return latest?.status === 'interrupted' ? latest : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 250 },
      );
      expect(record.imported).toBe(written);
      expect(record.failed).toBe(await probe().number('SELECT COUNT(*) AS n FROM import_row_errors'));
      expect(record.imported).toBe(BATCH_SIZE * (await batches()));

      const again = await second.postCsv<Envelope<ImportReport>>(csv);
      expect(again.status).toBe(200);
      expect(again.body.data).toMatchObject({
        imported: valid - written,
        skipped: written,
        failed: rows.length - valid,
      });
      expect(record.imported + again.body.data.imported).toBe(valid);
      expect(await leadCount()).toBe(valid);
    }, 180_000);

    it('SIGKILL mid-undo: every batch is undone whole or not at all, and a second undo finishes the job', async () => {
      const rows = 20_000;
      const server = await start();
      const imported = await server.postCsv<Envelope<ImportReport>>(uniqueLeadsCsv(rows, 'undo.test'));
      expect(imported.status).toBe(200);
      const path = `/v1/leads/imports/${imported.body.data.importId}/undo`;
      const undoing = server.request(path, { method: 'POST' }).then(
        () => 'answered',
        () => 'connection lost',
      );
      const undone = () => probe().number('SELECT COUNT(*) AS n FROM import_batches WHERE undone_at IS NOT NULL');
      await waitFor('a batch undone', async () => ((await undone()) > 0 ? true : undefined), { intervalMs: 2 });
      server.signal('SIGKILL');
      await undoing;
      const left = await leadCount();
      expect(left % BATCH_SIZE).toBe(0);
      expect(left).toBe(rows - BATCH_SIZE * (await undone()));

      // The killed undo left the import `undoing`; once it has gone silent, another undo takes over.
      const second = await start({ apiKey: server.apiKey });
      const finished = await waitFor(
        'the second undo',
        async () => {
          const res = await second.request<Envelope<{ deleted: number }>>(path, { method: 'POST' });
          return res.status === 200 ? res.body.data : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 500 },
      );
      expect(finished.deleted).toBe(left);
      expect(await leadCount()).toBe(0);
      expect(await importStatus()).toBe('undone');
    }, 180_000);

    it('SIGTERM: readiness fails, no new import starts, the running import finishes and the process exits 0', async () => {
      const rows = 20_000;
      const csv = uniqueLeadsCsv(rows, 'drain.test');
      const server = await start({ env: { IMPORT_STALE_AFTER_MS: NO_SWEEP } });
      // Connections opened before SIGTERM are still served after the listener closes: they show what a
      // client already connected (or a load balancer's kept-alive connection) gets during the drain.
      const readiness = await server.openRequest('GET', '/health/ready');
      const lateImport = await server.openRequest('POST', '/v1/leads/import/csv', {
        'Content-Type': 'multipart/form-data; boundary=x',
      });
      const upload = server.postCsv<Envelope<ImportReport>>(csv);
      await firstBatchCommitted();
      server.signal('SIGTERM');

      // The listener closes: new connections are refused. A new upload is refused, or answered 503 on a
      // connection the client had kept alive; it is never accepted.
      await listenerClosed(server);
      const late = await server.postCsv<Envelope<ImportReport>>(uniqueLeadsCsv(10, 'late.test')).then(
        (res) => `${res.status} ${res.body.error?.code}`,
        () => 'connection refused',
      );
      expect(['connection refused', '503 SERVICE_UNAVAILABLE']).toContain(late);

      const ready = await readiness.send();
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body)).toEqual({
        success: false,
        error: { code: 'SERVICE_UNAVAILABLE', message: 'Not ready: the server is shutting down.' },
      });
      const refused = await lateImport.send();
      expect(refused.status).toBe(503);
      expect(JSON.parse(refused.body)).toEqual({
        success: false,
        error: { code: 'SERVICE_UNAVAILABLE', message: 'The server is shutting down. Send the import again.' },
      });
      // Shutdown has begun (readiness says so); the import is draining, not written off as interrupted.
      expect(['processing', 'completed']).toContain(await importStatus());

      const done = await upload;
      expect(done.status).toBe(200);
      expect(done.body.data).toMatchObject({ imported: rows, updated: 0, skipped: 0, failed: 0 });
      expect(done.body.data.importedLeadIds).toHaveLength(rows);
      expectCountsAddUp(done.body.data);

      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(await leadCount()).toBe(rows);
      const records = await probe().rows<ImportRow>('SELECT status, imported, failure_reason AS reason FROM imports');
      expect(records.map((r) => [r.status, Number(r.imported)])).toEqual([['completed', rows]]);
    }, 120_000);

    it('SIGTERM with SHUTDOWN_TIMEOUT_MS=1: the running import ends interrupted with exactly what it wrote', async () => {
      const csv = uniqueLeadsCsv(ROWS, 'timeout.test');
      const server = await start({ env: { SHUTDOWN_TIMEOUT_MS: '1', IMPORT_STALE_AFTER_MS: NO_SWEEP } });
      const upload = server.postCsv<Envelope<ImportReport>>(csv).then(
        (res) => res.status,
        () => 'connection lost',
      );
      await firstBatchCommitted();
      server.signal('SIGTERM');
      await listenerClosed(server);
      // The server must handle SIGTERM while the import is still writing, not only after it (a blocked event loop).
      expect(await importStatus()).not.toBe('completed');
      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect([503, 'connection lost']).toContain(await upload);

      const written = await leadCount();
      expect(written % BATCH_SIZE).toBe(0);
      expect(written).toBeGreaterThan(0);
      expect(written).toBeLessThan(ROWS);
      const records = await probe().rows<ImportRow>('SELECT status, imported, failure_reason AS reason FROM imports');
      expect(records).toHaveLength(1);
      expect(records[0].status).toBe('interrupted');
      expect(records[0].reason).toContain('Send the same file again');
      expect(Number(records[0].imported)).toBe(written);
    }, 120_000);
  });
}
