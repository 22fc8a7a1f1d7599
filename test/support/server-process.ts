import Database from 'better-sqlite3';
import { createConnection, RowDataPacket } from 'mysql2/promise';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, DatabaseKind, TestDatabase } from './databases';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const READY_TIMEOUT_MS = 60_000;

/** Builds dist/ if a source file is newer than it (what `npm start` does); call once per test file. */
export function buildServer(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-if-needed.js')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface HttpResult<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** Every server a test started and has not seen exit: `stopAllServers` kills them (afterAll, even on failure). */
const running = new Set<ServerProcess>();
// Last resort if the test process ends without its afterAll (synchronous, as 'exit' handlers must be).
process.once('exit', () => running.forEach((server) => server.signal('SIGKILL')));

/** The built server (`node dist/src/main.js`) as a child process, in production mode, on a free port. */
export class ServerProcess {
  readonly exited: Promise<ServerExit>;
  private exit?: ServerExit;
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    readonly apiKey: string,
  ) {
    running.add(this);
    const append = (chunk: Buffer) => (this.output = (this.output + chunk.toString('utf8')).slice(-200_000));
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        running.delete(this);
        resolve(this.exit);
      });
    });
  }

  /**
   * Starts the server on `databaseUrl` and waits until `/health/ready` answers 200. The same `apiKey` can be
   * given again to a restarted server on the same database (BOOTSTRAP_API_KEY makes sure it exists).
   */
  static async start(options: {
    databaseUrl: string;
    apiKey?: string;
    env?: Record<string, string>;
  }): Promise<ServerProcess> {
    const port = await freePort();
    const apiKey = options.apiKey ?? `sk_${randomBytes(16).toString('hex')}`;
    const child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        DATABASE_URL: options.databaseUrl,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        BOOTSTRAP_API_KEY: apiKey,
        IMPORT_STALE_AFTER_MS: '2000',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(child, `http://127.0.0.1:${port}`, apiKey);
    await server.waitUntilReady();
    return server;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** The server's stdout and stderr so far (the last 200 KB). */
  logs(): string {
    return this.output;
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.exit) this.child.kill(signal);
  }

  /** SIGKILL (if still running) and wait for the exit. */
  async stop(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }

  /** POSTs a CSV to the import endpoint; rejects if the connection fails (refused, reset, server killed). */
  postCsv<T>(csv: string | Buffer, fields: Record<string, string> = {}): Promise<HttpResult<T>> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'leads.csv');
    return this.request<T>('/v1/leads/import/csv', { method: 'POST', body: form });
  }

  /** A JSON request with this server's key; rejects if the connection fails. */
  async request<T>(path: string, init: RequestInit = {}): Promise<HttpResult<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      ...init,
      headers: { 'X-Api-Key': this.apiKey, ...(init.headers as Record<string, string> | undefined) },
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as T };
  }

  /**
   * Opens a connection now and sends a request's head except its final blank line; `send()` completes it and
   * resolves with the status line and body. It lets a test ask something of a server that has stopped accepting
   * new connections but still serves the ones it has.
   */
  async openRequest(method: string, path: string, headers: Record<string, string> = {}): Promise<PendingRequest> {
    const { hostname, port } = new URL(this.baseUrl);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const head = [`${method} ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, `X-Api-Key: ${this.apiKey}`];
    for (const [name, value] of Object.entries({ 'Content-Length': '0', ...headers })) head.push(`${name}: ${value}`);
    socket.write(`${head.join('\r\n')}\r\n`);
    return {
      send: async () => {
        socket.write('Connection: close\r\n\r\n');
        await ended;
        const [statusLine, ...rest] = received.split('\r\n');
        const body = rest.join('\r\n').split('\r\n\r\n').slice(1).join('\r\n\r\n');
        return { status: Number(statusLine.split(' ')[1]), body };
      },
    };
  }

  /** Whether a new TCP connection is accepted (no HTTP request is sent, so no kept-alive connection stays open). */
  async acceptsConnections(): Promise<boolean> {
    const { hostname, port } = new URL(this.baseUrl);
    const socket = connect(Number(port), hostname);
    const accepted = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('error', () => resolve(false));
    });
    socket.destroy();
    return accepted;
  }

  private waitUntilReady(): Promise<void> {
    return waitUntilReady(this.baseUrl, READY_TIMEOUT_MS, {
      exited: () => this.exit && JSON.stringify(this.exit),
      output: () => this.output,
      stop: () => this.stop(),
    });
  }
}

export interface PendingRequest {
  send(): Promise<{ status: number; body: string }>;
}

/** Kills every server still running (SIGKILL) and waits for them to exit. */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()));
}

/** Reads from the database a server writes to, without going through the server. */
export interface DatabaseProbe {
  /** The first column of the first row, as a number (e.g. a COUNT). */
  number(sql: string, params?: Array<string | number>): Promise<number>;
  rows<T>(sql: string, params?: Array<string | number>): Promise<T[]>;
  close(): Promise<void>;
}

/** A probe of a `sqlite:<path>` or `mysql://…` database (one connection; SQLite is opened per query). */
export async function openDatabase(url: string): Promise<DatabaseProbe> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    const rows = <T>(sql: string, params: Array<string | number> = []): Promise<T[]> => {
      const db = new Database(path, { fileMustExist: true });
      try {
        db.pragma('busy_timeout = 10000');
        return Promise.resolve(db.prepare(sql).all(...params) as T[]);
      } finally {
        db.close();
      }
    };
    return {
      rows,
      number: async (sql, params) => firstNumber(await rows<Record<string, unknown>>(sql, params)),
      close: () => Promise.resolve(),
    };
  }
  const connection = await createConnection({ uri: url });
  const rows = async <T>(sql: string, params: Array<string | number> = []): Promise<T[]> => {
    const [result] = await connection.query<RowDataPacket[]>(sql, params);
    return result as T[];
  };
  return {
    rows,
    number: async (sql, params) => firstNumber(await rows<Record<string, unknown>>(sql, params)),
    close: () => connection.end(),
  };
}

/**
 * For a describe block of built-server tests: a fresh database for each test, servers started on it (`start`), and a
 * probe that reads it directly; after each test the servers are stopped and the database dropped.
 */
export function serverPerTest(kind: DatabaseKind): {
  start: (options?: { apiKey?: string; env?: Record<string, string> }) => Promise<ServerProcess>;
  probe: () => DatabaseProbe;
} {
  let database: TestDatabase | undefined;
  let probe: DatabaseProbe | undefined;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await stopAllServers();
    await probe?.close();
    probe = undefined;
    await database?.drop();
  });
  return {
    start: async (options = {}) => {
      const server = await ServerProcess.start({ databaseUrl: database!.url, ...options });
      probe ??= await openDatabase(database!.url);
      return server;
    },
    probe: () => probe!,
  };
}

/** Polls `probe` every `intervalMs` until it returns something other than undefined; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 60_000, intervalMs = 20 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

function firstNumber(rows: Array<Record<string, unknown>>): number {
  const value = rows.length > 0 ? Object.values(rows[0])[0] : undefined;
  return Number(value);
}

/** A port nothing listens on right now (the tiny race with other programs is acceptable here). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Polls a server's `/health/ready` until it answers 200. If the server exits first, or is not ready within `timeoutMs`
 * (then it is stopped), throws with the server's output.
 */
export async function waitUntilReady(
  baseUrl: string,
  timeoutMs: number,
  server: { exited(): string | undefined; output(): string; stop(): Promise<void> },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const exit = server.exited();
    if (exit !== undefined) throw new Error(`The server exited (${exit}) before it was ready:\n${server.output()}`);
    try {
      const response = await fetch(`${baseUrl}/health/ready`);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  await server.stop();
  throw new Error(`The server was not ready within ${timeoutMs} ms:\n${server.output()}`);
}
