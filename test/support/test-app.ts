import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { newId } from '../../src/common/object-id';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { Lead } from '../../src/leads/lead.entity';
import { createTestDatabase, DATABASES, DatabaseKind, TestDatabase } from './databases';

export interface TestContext {
  kind: DatabaseKind;
  app: NestExpressApplication;
  config: AppConfig;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  /** A new workspace with a workspace key. */
  newWorkspace(name?: string): Promise<{ workspaceId: string; key: string }>;
  /** A platform key for a user who is a member of these workspaces. */
  newPlatformKey(email: string, workspaceIds: string[]): Promise<string>;
  /** A stored lead, written directly (not through an import). */
  newLead(workspaceId: string, fields?: Partial<Lead>): Promise<Lead>;
}

/**
 * Boots the real AppModule, as main.ts does, on a fresh database of the given kind, or as another replica on the
 * database of a running test app (`replicaOf`; that one's close drops the database).
 */
export async function startTestApp(
  kind: DatabaseKind,
  env: Record<string, string> = {},
  replicaOf?: TestContext,
): Promise<TestContext & { close(): Promise<void> }> {
  const database: TestDatabase = replicaOf
    ? { kind, url: databaseUrl(replicaOf.config), drop: () => Promise.resolve() }
    : await createTestDatabase(kind);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ...env,
    DATABASE_URL: database.url,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
  configureApp(app, config);
  await app.init();
  const keys = app.get(ApiKeyService);
  const server = app.getHttpServer() as Parameters<typeof request>[0];

  let counter = 0;
  return {
    kind,
    app,
    config,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    http: () => request(server),
    async newWorkspace(name = `Workspace ${++counter}`) {
      const { workspace, key } = await keys.createWorkspace(name);
      return { workspaceId: workspace.id, key };
    },
    async newPlatformKey(email, workspaceIds) {
      let key = '';
      for (const workspaceId of workspaceIds) {
        ({ key } = await keys.createKey({ workspaceId, platformUserEmail: email }));
      }
      return key;
    },
    async newLead(workspaceId, fields = {}) {
      const now = new Date();
      const email = fields.email ?? `lead${++counter}@example.com`;
      const lead = {
        id: newId(),
        workspaceId,
        email,
        emailKey: email.toLowerCase(),
        customFields: {},
        createdAt: now,
        updatedAt: now,
        ...fields,
      };
      await app.get<DataSource>(getDataSourceToken()).getRepository(Lead).insert(lead);
      return app.get<DataSource>(getDataSourceToken()).getRepository(Lead).findOneByOrFail({ id: lead.id });
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/**
 * Runs a suite once per database (SQLite, and MySQL when TEST_MYSQL_URL is set), each on a fresh
 * database with its own app. `ctx()` gives the running context inside tests.
 */
export function describeEachDatabase(
  title: string,
  suite: (ctx: () => TestContext) => void,
  env: Record<string, string> = {},
): void {
  for (const kind of DATABASES) {
    describe(`${title} [${kind}]`, () => {
      let context: (TestContext & { close(): Promise<void> }) | undefined;
      beforeAll(async () => {
        context = await startTestApp(kind, env);
      });
      afterAll(async () => {
        await context?.close();
      });
      suite(() => {
        if (!context) throw new Error('test app did not start');
        return context;
      });
    });
  }
}

/** The DATABASE_URL an app was started with. */
export function databaseUrl(config: AppConfig): string {
  return config.database.type === 'sqlite' ? `sqlite:${config.database.path}` : config.database.url;
}

/** The port of the app's HTTP server, started on one if supertest has not yet: for raw `http` requests. */
export async function listeningPort(ctx: TestContext): Promise<number> {
  const server: http.Server = ctx.app.getHttpServer();
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Waits (without asserting on time) until a condition holds; fails the test if it never does. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error(`gave up waiting until ${what}`);
}

/** How many rows of a workspace a table holds, read directly: a test's check that nothing (or this much) was written. */
export async function countRows(ctx: TestContext, table: string, workspaceId: string): Promise<number> {
  const rows: Array<{ n: number | string }> = await ctx.dataSource.query(
    `SELECT COUNT(*) AS n FROM ${table} WHERE workspace_id = ?`,
    [workspaceId],
  );
  return Number(rows[0].n);
}
