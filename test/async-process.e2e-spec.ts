import { generatedFile, ImportCounts } from './support/async-files';
import { DATABASES } from './support/databases';
import { buildServer, ServerProcess, serverPerTest, stopAllServers, waitFor } from './support/server-process';

interface Envelope<T> {
  success: boolean;
  data: T;
}

interface ImportDetail extends ImportCounts {
  errorCount: number;
  importedLeadIds: string[];
  progress: { rowsDone: number; totalRows: number };
}

const ROWS = 30_000;

beforeAll(() => buildServer(), 300_000);
afterAll(() => stopAllServers());

for (const kind of DATABASES) {
  describe(`async imports survive their server (in-process queue) [${kind}]`, () => {
    const { start, probe } = serverPerTest(kind);

    const leadCount = () => probe().number('SELECT COUNT(*) AS n FROM leads');

    async function queue(server: ServerProcess, csv: string): Promise<string> {
      const res = await server.postCsv<Envelope<{ importId: string }>>(csv, { async: 'true' });
      expect(res.status).toBe(202);
      return res.body.data.importId;
    }

    const firstBatchCommitted = () =>
      waitFor('the first committed batch', async () => ((await leadCount()) > 0 ? true : undefined), {
        intervalMs: 5,
      });

    const completed = (server: ServerProcess, id: string) =>
      waitFor(
        'the import to complete',
        async () => {
          const res = await server.request<Envelope<ImportDetail>>(`/v1/leads/imports/${id}`);
          return res.body.data.status === 'completed' ? res.body.data : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 200 },
      );

    /** The record and the database hold exactly what one uninterrupted run gives. */
    async function expectExact(record: ImportDetail, file: ReturnType<typeof generatedFile>, id: string) {
      expect(record).toMatchObject({
        imported: file.emails.size,
        updated: 0,
        skipped: file.repeats,
        failed: file.invalid,
        totalRows: ROWS,
        errorCount: file.invalid,
        progress: { rowsDone: ROWS, totalRows: ROWS },
      });
      expect(new Set(record.importedLeadIds).size).toBe(file.emails.size);
      expect(await leadCount()).toBe(file.emails.size);
      expect(await probe().number('SELECT COUNT(DISTINCT email_key) AS n FROM leads')).toBe(file.emails.size);
      expect(await probe().number('SELECT COUNT(*) AS n FROM import_row_errors WHERE import_id = ?', [id])).toBe(
        file.invalid,
      );
      // Each upload is dropped right after its record ends.
      await waitFor('the uploads to be dropped', async () =>
        (await probe().number('SELECT COUNT(*) AS n FROM import_uploads')) === 0 ? true : undefined,
      );
    }

    it('SIGKILL mid-import: the next start resumes after the committed batches and ends exactly', async () => {
      const file = generatedFile(0, ROWS, 'resume.test');
      const first = await start();
      const id = await queue(first, file.csv);
      await firstBatchCommitted();
      first.signal('SIGKILL');
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
      const written = await leadCount();
      expect(written).toBeLessThan(file.emails.size);

      const second = await start({ apiKey: first.apiKey });
      await expectExact(await completed(second, id), file, id);
    }, 180_000);

    it('SIGTERM: the server finishes its current batch, hands the import back (queued) and exits 0', async () => {
      const file = generatedFile(0, ROWS, 'handback.test');
      const first = await start({ env: { IMPORT_STALE_AFTER_MS: '600000' } });
      const id = await queue(first, file.csv);
      await firstBatchCommitted();
      first.signal('SIGTERM');
      expect(await first.exited).toEqual({ code: 0, signal: null });

      const [record] = await probe().rows<{ status: string }>('SELECT status FROM imports WHERE id = ?', [id]);
      expect(record.status).toBe('queued');
      const rowsDone = await probe().number('SELECT rows_done AS n FROM import_progress WHERE import_id = ?', [id]);
      expect(rowsDone).toBeGreaterThan(0);
      expect(rowsDone).toBeLessThan(ROWS);
      expect(
        await probe().number('SELECT COUNT(*) AS n FROM import_uploads WHERE import_id = ?', [id]),
      ).toBeGreaterThan(0);

      const second = await start({ apiKey: first.apiKey });
      await expectExact(await completed(second, id), file, id);
    }, 180_000);
  });
}
