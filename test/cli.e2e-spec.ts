import { runCli } from '../src/cli/cli';
import { createTestDatabase, DATABASES } from './support/databases';
import { loadConfig } from '../src/config/app-config';
import { startTestApp } from './support/test-app';

for (const kind of DATABASES) {
  describe(`CLI [${kind}]`, () => {
    async function cli(url: string, ...argv: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, loadConfig({ NODE_ENV: 'test', DATABASE_URL: url }), {
        out: (line) => out.push(...line.split('\n')),
        err: (line) => err.push(...line.split('\n')),
      });
      return { code, out, err };
    }

    it('creates a workspace whose key (the last line) works, then lists and revokes it', async () => {
      const app = await startTestApp(kind);
      const url = app.config.database.type === 'mysql' ? app.config.database.url : `sqlite:${app.config.database.path}`;
      try {
        const created = await cli(url, 'workspace:create', 'Acme', 'Sales');
        expect(created.code).toBe(0);
        const key = created.out[created.out.length - 1];
        expect(key).toMatch(/^sk_[A-Za-z0-9]{32}$/);
        const workspaceId = /id ([0-9a-f]{24})/.exec(created.out[0])![1];
        expect(created.out[0]).toContain('"Acme Sales"');
        await app.http().get('/v1/leads').set('X-Api-Key', key).expect(200);

        const platform = await cli(
          url,
          'key:create',
          '--workspace',
          workspaceId,
          '--platform',
          '--user',
          'ann@acme.com',
        );
        expect(platform.code).toBe(0);
        const platformKey = platform.out[platform.out.length - 1];
        expect(platformKey).toMatch(/^sk_user_[A-Za-z0-9]{32}$/);
        const viaPlatform = await app.http().get('/v1/leads').set('X-Api-Key', platformKey).expect(200);
        expect(viaPlatform.body.success).toBe(true);

        const listed = await cli(url, 'key:list', '--workspace', workspaceId);
        expect(listed.out).toHaveLength(2);
        expect(listed.out.join('\n')).not.toContain(key);
        expect(listed.out.join('\n')).toContain(key.slice(0, 11));

        const revoked = await cli(url, 'key:revoke', key.slice(0, 11));
        expect(revoked.code).toBe(0);
        await app.http().get('/v1/leads').set('X-Api-Key', key).expect(401);
        expect((await cli(url, 'key:list', '--workspace', workspaceId)).out.join('\n')).toContain('revoked');
      } finally {
        await app.close();
      }
    });

    it('explains its usage and fails on bad input', async () => {
      const db = await createTestDatabase(kind);
      try {
        const missing = await cli(db.url, 'key:create');
        expect(missing.code).toBe(1);
        expect(missing.err.join('\n')).toContain('Missing --workspace');
        const unknown = await cli(db.url, 'key:revoke', 'sk_nothing');
        expect(unknown.code).toBe(1);
        expect(unknown.err.join('\n')).toContain('No API key');
        const badWorkspace = await cli(db.url, 'key:create', '--workspace', '665d4e5f6a7b8c9d0e1f2a3b');
        expect(badWorkspace.err.join('\n')).toContain('not found');
        expect((await cli(db.url, 'frobnicate')).code).toBe(1);
      } finally {
        await db.drop();
      }
    });
  });
}
