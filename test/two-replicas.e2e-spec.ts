/**
 * Two server processes on one MariaDB and one Redis (BullMQ): async imports spread over both, one replica killed
 * midway, the other finishes every job exactly. Runs when TEST_MYSQL_URL and TEST_REDIS_URL are both set.
 */
import { runCli } from '../src/cli/cli';
import { loadConfig } from '../src/config/app-config';
import { generatedFile, GeneratedFile, ImportCounts } from './support/async-files';
import { createTestDatabase, TestDatabase } from './support/databases';
import { testRedis } from './support/redis';
import {
  buildServer,
  DatabaseProbe,
  openDatabase,
  ServerProcess,
  stopAllServers,
  waitFor,
} from './support/server-process';

const ready = Boolean(process.env.TEST_MYSQL_URL && process.env.TEST_REDIS_URL);
const describeTwoReplicas = ready ? describe : describe.skip;

const FILES = 10;
const ROWS = 20_000;
/** File `i` covers rows [i × STEP, i × STEP + ROWS): consecutive files of a workspace share half their emails. */
const STEP = 10_000;

beforeAll(() => (ready ? buildServer() : undefined), 300_000);
afterAll(() => stopAllServers());

describeTwoReplicas('Redis: two replicas on one MariaDB and one Redis', () => {
  let database: TestDatabase;
  let probe: DatabaseProbe;
  let replicas: ServerProcess[];
  const keys: string[] = [];
  const redis = testRedis();
  const replicaEnv = {
    ...redis.env,
    IMPORT_JOB_LOCK_MS: '3000',
    IMPORT_MAX_CONCURRENT: '2',
  };

  beforeAll(async () => {
    database = await createTestDatabase('mysql');
    const env = replicaEnv;
    const first = await ServerProcess.start({ databaseUrl: database.url, env });
    const second = await ServerProcess.start({ databaseUrl: database.url, apiKey: first.apiKey, env });
    replicas = [first, second];
    probe = await openDatabase(database.url);
    keys.push(first.apiKey, await newWorkspaceKey(database.url));
  }, 120_000);

  afterAll(async () => {
    await stopAllServers();
    if (ready) await redis.cleanUp();
    await probe?.close();
    await database?.drop();
  });

  async function post(replica: ServerProcess, key: string, csv: string): Promise<string> {
    const form = new FormData();
    form.append('async', 'true');
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'leads.csv');
    const res = await replica.request<{ data: { importId: string } }>('/v1/leads/import/csv', {
      method: 'POST',
      body: form,
      headers: { 'X-Api-Key': key },
    });
    expect(res.status).toBe(202);
    return res.body.data.importId;
  }

  it('10 overlapping async imports over both, one replica SIGKILLed midway: the other finishes all exactly', async () => {
    // Files 0, 2, 4, 6, 8 go to workspace 0 and 1, 3, 5, 7, 9 to workspace 1; each workspace's files overlap.
    const jobs: Array<{ id: string; workspace: number; file: GeneratedFile }> = [];
    // With 2 imports at most per replica, 3 running means the replica about to be killed holds at least one.
    const midway = async () => {
      const leads = await probe.number('SELECT COUNT(*) AS n FROM leads');
      const running = await probe.number("SELECT COUNT(*) AS n FROM imports WHERE status = 'processing'");
      return leads > (FILES * ROWS) / 6 && running >= 3 ? true : undefined;
    };
    const kill = async () => {
      replicas[0].signal('SIGKILL');
      expect(await replicas[0].exited).toEqual({ code: null, signal: 'SIGKILL' });
      return replicas[1];
    };
    // Checked between uploads too: on a fast machine most imports are done before the last file is sent. Files sent
    // after the kill go to the survivor.
    let survivor: ServerProcess | undefined;
    for (let i = 0; i < FILES; i++) {
      const workspace = i % 2;
      const file = generatedFile(Math.floor(i / 2) * STEP, ROWS, 'replicas.test');
      jobs.push({ id: await post(survivor ?? replicas[i % 2], keys[workspace], file.csv), workspace, file });
      if (!survivor && (await midway())) survivor = await kill();
    }
    if (!survivor) {
      await waitFor('a sixth of the rows written, 3 imports running', midway);
      survivor = await kill();
    }

    const records = await waitFor(
      'every import to complete on the surviving replica',
      async () => {
        const details = await Promise.all(
          jobs.map(({ id, workspace }) =>
            survivor.request<{ data: ImportCounts }>(`/v1/leads/imports/${id}`, {
              headers: { 'X-Api-Key': keys[workspace] },
            }),
          ),
        );
        const data = details.map((res) => res.body.data);
        return data.every((record) => record.status === 'completed') ? data : undefined;
      },
      { timeoutMs: 110_000, intervalMs: 500 },
    );

    for (const [index, record] of records.entries()) {
      const { file } = jobs[index];
      expect(record.imported + record.updated + record.skipped + record.failed).toBe(record.totalRows);
      expect(record).toMatchObject({ totalRows: ROWS, failed: file.invalid, updated: 0 });
    }
    const workspaces = await probe.rows<{ workspace_id: string }>(
      'SELECT DISTINCT workspace_id FROM imports ORDER BY workspace_id',
    );
    expect(workspaces).toHaveLength(2);
    for (const workspace of [0, 1]) {
      const mine = jobs.filter((job) => job.workspace === workspace);
      const distinct = new Set(mine.flatMap(({ file }) => [...file.emails]));
      const [{ workspace_id: workspaceId }] = await probe.rows<{ workspace_id: string }>(
        'SELECT workspace_id FROM imports WHERE id = ?',
        [mine[0].id],
      );
      expect(await probe.number('SELECT COUNT(*) AS n FROM leads WHERE workspace_id = ?', [workspaceId])).toBe(
        distinct.size,
      );
      expect(
        await probe.number('SELECT COUNT(DISTINCT email_key) AS n FROM leads WHERE workspace_id = ?', [workspaceId]),
      ).toBe(distinct.size);
      // Each lead was created by exactly one of the workspace's imports.
      const imported = mine.reduce((sum, job) => sum + records[jobs.indexOf(job)].imported, 0);
      expect(imported).toBe(distinct.size);
    }
    // Each upload is dropped right after its record ends.
    await waitFor('the uploads to be dropped', async () =>
      (await probe.number('SELECT COUNT(*) AS n FROM import_uploads')) === 0 ? true : undefined,
    );
  }, 180_000);

  it('SIGTERM: the replica hands its job back to BullMQ, and a replica started later finishes it exactly', async () => {
    const survivor = replicas[1];
    const file = generatedFile(1_000_000, 30_000, 'handback.test');
    const before = await probe.number('SELECT COUNT(*) AS n FROM leads');
    const id = await post(survivor, keys[0], file.csv);
    await waitFor('the first batch', async () =>
      (await probe.number('SELECT COUNT(*) AS n FROM import_batches WHERE import_id = ?', [id])) > 0 ? true : undefined,
    );
    survivor.signal('SIGTERM');
    expect(await survivor.exited).toEqual({ code: 0, signal: null });
    const [handedBack] = await probe.rows<{ status: string }>('SELECT status FROM imports WHERE id = ?', [id]);
    expect(handedBack.status).toBe('queued');

    const next = await ServerProcess.start({ databaseUrl: database.url, apiKey: keys[0], env: replicaEnv });
    const record = await waitFor(
      'the handed-back import to complete',
      async () => {
        const res = await next.request<{ data: ImportCounts }>(`/v1/leads/imports/${id}`);
        return res.body.data.status === 'completed' ? res.body.data : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(record).toMatchObject({ imported: file.emails.size, skipped: file.repeats, failed: file.invalid });
    expect((await probe.number('SELECT COUNT(*) AS n FROM leads')) - before).toBe(file.emails.size);
  }, 120_000);
});

/** A second workspace, made with the CLI as an operator would. */
async function newWorkspaceKey(databaseUrl: string): Promise<string> {
  const out: string[] = [];
  const code = await runCli(
    ['workspace:create', 'Second'],
    loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl }),
    {
      out: (line) => out.push(...line.split('\n')),
      err: () => undefined,
    },
  );
  expect(code).toBe(0);
  return out[out.length - 1];
}
