import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, DATABASES, TestDatabase } from './support/databases';
import { buildServer, ServerProcess, stopAllServers, waitFor } from './support/server-process';

const ROOT = join(__dirname, '..');
const RULE = '='.repeat(78);

interface Shell {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command exactly as printed, in a shell at the repository root, against `databaseUrl`. */
async function sh(command: string, databaseUrl: string): Promise<Shell> {
  try {
    const { stdout, stderr } = await promisify(execFile)('sh', ['-c', command], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Every `npm run cli -- …` command in a text: "quoted" inside a sentence, or the rest of a line (less a # comment). */
function suggestedCommands(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/"(npm run cli -- [^"]*)"|(npm run cli -- [^\n`]*)/g)) {
    found.push((match[1] ?? match[2]).replace(/\s+#.*$/, '').trim());
  }
  return found;
}

/** The key a CLI command printed: its last line. */
const lastLine = (out: string) => out.trim().split('\n').pop()!;

// Commands run as printed, through a shell and npm (seconds each): on SQLite only. The CLI's own behaviour on MySQL is
// in cli.e2e-spec.ts.
for (const kind of DATABASES.filter((k) => k === 'sqlite')) {
  describe(`the front door: first key, CLI suggestions, README commands [${kind}]`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      buildServer();
      db = await createTestDatabase(kind);
    });
    afterAll(async () => {
      await stopAllServers();
      await db.drop();
    });

    const startFresh = () =>
      // Development mode without BOOTSTRAP_API_KEY: a first start creates the first key itself.
      ServerProcess.start({
        databaseUrl: db.url,
        env: { NODE_ENV: 'development', BOOTSTRAP_API_KEY: '', LOG_LEVEL: 'info' },
      });

    // Each command is npm plus a Nest context (about a second each, more on a busy machine).
    jest.setTimeout(180_000);

    const works = async (server: ServerProcess, key: string) =>
      (await fetch(`${server.baseUrl}/v1/leads`, { headers: { 'X-Api-Key': key } })).status;

    it('a lost first key is replaced with the commands the service prints, each working as written', async () => {
      const first = await startFresh();
      const output = await waitFor('the first-start message', () =>
        Promise.resolve(first.logs().split(RULE).length === 3 ? first.logs() : undefined),
      );
      const block = output.split(RULE)[1];
      const workspaceId = /created workspace "Default" \(id ([0-9a-f]{24})\)/.exec(block)![1];
      const key = /^\s+(sk_[A-Za-z0-9]{32})$/m.exec(block)![1];
      expect(await works(first, key)).toBe(200);
      // The JSON log records the event, never the key; the block is in no JSON line.
      const jsonLines = output.split('\n').filter((line) => line.startsWith('{'));
      expect(jsonLines.some((line) => line.includes(workspaceId) && line.includes('first API key'))).toBe(true);
      expect(jsonLines.filter((line) => line.includes(key))).toEqual([]);
      expect(output).toContain(`Leadport is listening on ${first.baseUrl} (API docs: ${first.baseUrl}/docs)`);

      const fromBlock = suggestedCommands(block);
      expect(fromBlock).toEqual([
        `npm run cli -- key:create --workspace ${workspaceId}`,
        'npm run cli -- workspace:list',
      ]);
      const another = await sh(fromBlock[0], db.url);
      expect(another).toMatchObject({ code: 0 });
      expect(await works(first, lastLine(another.stdout))).toBe(200);
      const listed = await sh(fromBlock[1], db.url);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(
        new RegExp(`${workspaceId}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+2  Default`),
      );

      // The 401 message names a command; on a one-workspace install it works as written.
      const refused = await fetch(`${first.baseUrl}/v1/leads`, { headers: { 'X-Api-Key': `sk_${'x'.repeat(32)}` } });
      const { error } = (await refused.json()) as { error: { message: string } };
      expect(refused.status).toBe(401);
      const [fromError] = suggestedCommands(error.message);
      expect(fromError).toBe('npm run cli -- key:create');
      const replaced = await sh(fromError, db.url);
      expect(replaced.code).toBe(0);
      expect(await works(first, lastLine(replaced.stdout))).toBe(200);
      await first.stop();

      // A restart prints no first-start block again, and names the command that gives a key.
      const again = await startFresh();
      const restarted = await waitFor('the start message', () =>
        Promise.resolve(again.logs().includes('Need an API key?') ? again.logs() : undefined),
      );
      expect(restarted).not.toContain(RULE);
      expect(suggestedCommands(restarted)).toEqual(['npm run cli -- key:create']);
      expect(await works(again, key)).toBe(200);
    });

    it('runs every CLI command of the README, and each command an error suggests once there are several workspaces', async () => {
      const server = await ServerProcess.start({ databaseUrl: db.url });
      const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
      const commands = [...new Set(suggestedCommands(readme))];
      expect(commands.length).toBeGreaterThanOrEqual(6);
      let acme = '';
      let prefix = '';
      for (const written of commands) {
        const command = written.replace(/<id>/g, acme).replace(/<prefix-or-id>/g, prefix);
        expect(command).not.toMatch(/<[^>]+>/); // a placeholder this test does not know: teach it
        const result = await sh(command, db.url);
        expect({ command, code: result.code, stderr: result.stderr }).toEqual({ command, code: 0, stderr: '' });
        const created = /Created workspace "Acme Sales" \(id ([0-9a-f]{24})\)/.exec(result.stdout);
        if (created) acme = created[1];
        const key = /(sk_(?:user_)?[A-Za-z0-9]{32})\s*$/.exec(result.stdout);
        if (key) {
          expect(await works(server, key[1])).toBe(200);
          prefix = key[1].slice(0, key[1].startsWith('sk_user_') ? 16 : 11); // as key:list shows it
        }
      }
      expect(acme).not.toBe('');

      // Default, "My team" and "Acme Sales": "key:create" alone cannot guess, so it prints a command per workspace.
      const ambiguous = await sh('npm run cli -- key:create', db.url);
      expect(ambiguous.code).toBe(1);
      const choices = suggestedCommands(ambiguous.stderr);
      expect(choices).toHaveLength(3);
      for (const choice of choices) {
        const result = await sh(choice, db.url);
        expect(result.code).toBe(0);
        expect(await works(server, lastLine(result.stdout))).toBe(200);
      }
      const unknown = await sh('npm run cli -- key:create --workspace Nobody', db.url);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('No workspace has the id or exact name "Nobody"');
      const [listCommand] = suggestedCommands(unknown.stderr);
      expect(listCommand).toBe('npm run cli -- workspace:list');
      expect((await sh(listCommand, db.url)).stdout).toContain('Acme Sales');
    });
  });
}
