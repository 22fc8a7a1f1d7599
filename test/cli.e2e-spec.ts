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

    it('explains its usage and fails on bad input with a command that works', async () => {
      const db = await createTestDatabase(kind);
      try {
        const noWorkspace = await cli(db.url, 'key:create');
        expect(noWorkspace).toMatchObject({ code: 1, out: [] });
        expect(noWorkspace.err).toEqual([
          'There is no workspace yet. Create one (it comes with a key):',
          "  npm run cli -- workspace:create 'My team'",
        ]);
        const empty = await cli(db.url, 'workspace:list');
        expect(empty.out).toEqual(['No workspaces yet. Create one:', "  npm run cli -- workspace:create 'My team'"]);
        const unknown = await cli(db.url, 'key:revoke', 'sk_nothing');
        expect(unknown.code).toBe(1);
        expect(unknown.err).toContain('The keys and their prefixes: npm run cli -- key:list');
        const badWorkspace = await cli(db.url, 'key:create', '--workspace', '665d4e5f6a7b8c9d0e1f2a3b');
        expect(badWorkspace.err).toEqual([
          'No workspace has the id or exact name "665d4e5f6a7b8c9d0e1f2a3b". The workspaces, with their ids: ' +
            'npm run cli -- workspace:list',
        ]);
        const platformWithoutUser = await cli(db.url, 'workspace:create', 'Solo');
        const soloId = /id ([0-9a-f]{24})/.exec(platformWithoutUser.out[0])![1];
        expect((await cli(db.url, 'key:create', '--platform')).err).toEqual([
          'A platform key belongs to a user; give their email:',
          `  npm run cli -- key:create --workspace ${soloId} --platform --user ann@example.com`,
        ]);
        const frobnicate = await cli(db.url, 'frobnicate');
        expect(frobnicate.code).toBe(1);
        expect(frobnicate.err[0]).toBe('Unknown command "frobnicate". The commands are:');
      } finally {
        await db.drop();
      }
    });

    it('lists workspaces and finds one by id or exact name; a shared name asks for an id', async () => {
      const db = await createTestDatabase(kind);
      try {
        const acme = /id ([0-9a-f]{24})/.exec((await cli(db.url, 'workspace:create', 'Acme Sales')).out[0])![1];
        // The only workspace needs no --workspace.
        const only = await cli(db.url, 'key:create', '--name', 'laptop');
        expect(only.code).toBe(0);
        expect(only.out[0]).toMatch(
          /^Created workspace key sk_\w{8}… \(id [0-9a-f]{24}\) for workspace "Acme Sales":$/,
        );
        const byName = await cli(db.url, 'key:create', '--workspace', 'Acme Sales');
        expect(byName.code).toBe(0);
        expect((await cli(db.url, 'key:revoke', byName.out[1])).code).toBe(0);
        const twin1 = /id ([0-9a-f]{24})/.exec((await cli(db.url, 'workspace:create', 'Twin')).out[0])![1];
        const twin2 = /id ([0-9a-f]{24})/.exec((await cli(db.url, 'workspace:create', 'Twin')).out[0])![1];

        const listed = await cli(db.url, 'workspace:list');
        expect(listed.out[0]).toMatch(/^id\s+created \(UTC\)\s+keys {2}name$/);
        // Acme: its first key and "laptop" are active, the third was revoked.
        expect(
          listed.out.slice(1, 4).map((line) => line.replace(/ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}/, ' | ')),
        ).toEqual([`${acme} |     2  Acme Sales`, `${twin1} |     1  Twin`, `${twin2} |     1  Twin`]);
        expect(listed.out[4]).toBe(`A new key for one of them: npm run cli -- key:create --workspace ${acme}`);

        const shared = await cli(db.url, 'key:create', '--workspace', 'Twin');
        expect(shared.err).toEqual([
          '2 workspaces are named "Twin"; name one by its id:',
          `  npm run cli -- key:create --workspace ${twin1}  # Twin`,
          `  npm run cli -- key:create --workspace ${twin2}  # Twin`,
        ]);
        const several = await cli(db.url, 'key:list');
        expect(several.err[0]).toBe('There are 3 workspaces; name one:');
        expect(several.err[1]).toBe(`  npm run cli -- key:list --workspace ${acme}  # Acme Sales`);
        expect((await cli(db.url, 'key:list', '--workspace', twin2)).out).toHaveLength(1);
      } finally {
        await db.drop();
      }
    });
  });
}
