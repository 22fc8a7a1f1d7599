import { randomBytes } from 'node:crypto';
import { get as httpGet, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** The counts of a successful import response (`data` of the envelope). */
export interface ImportCounts {
  importId: string;
  imported: number;
  updated: number;
  skipped: number;
  failed: number;
  importedLeadIds: number;
  errors: number;
  totalRows: number;
  /** `skippedReasons.suppressed`: rows skipped for the suppression list (undefined in builds without it). */
  suppressed?: number;
}

export interface ImportResponse {
  status: number;
  ms: number;
  /** Set when the response is a well-formed success envelope. */
  counts?: ImportCounts;
  /** The error code and message, or what was wrong with the body. */
  problem?: string;
}

export interface ImportRequest {
  baseUrl: string;
  apiKey: string;
  csv: Buffer;
  fileName: string;
  skipDuplicates: boolean;
}

/** A CSV as a Blob, for the uploads that go through fetch's FormData (suppression lists). */
export function csvBlob(csv: Buffer): Blob {
  return new Blob([csv], { type: 'text/csv' });
}

/** An import slower than this is reported as failed rather than waited for (the whole bench has 10 minutes). */
const IMPORT_TIMEOUT_MS = 180_000;

/**
 * POSTs the file to /v1/leads/import/csv; `ms` is from sending the request to having read the whole response. The
 * multipart body is built before the clock starts and sent in one write over node:http: the client's work is not the
 * server's, and fetch's FormData streaming took CPU from the cores the server runs on (docs/performance.md).
 * A network error or timeout is returned as status 0 with the reason, so one bad run does not end the bench.
 */
export async function postImport(request: ImportRequest): Promise<ImportResponse> {
  const { contentType, body } = multipartBody(request.csv, request.fileName, {
    skipDuplicates: String(request.skipDuplicates),
    dataCleanup: 'true',
  });
  const started = performance.now();
  try {
    const { status, text } = await send(`${request.baseUrl}/v1/leads/import/csv`, body, {
      'Content-Type': contentType,
      'X-Api-Key': request.apiKey,
    });
    return { status, ms: performance.now() - started, ...readEnvelope(text) };
  } catch (error) {
    return { status: 0, ms: performance.now() - started, problem: `request failed (${describeError(error)})` };
  }
}

/** multipart/form-data with the file part first, then the text fields, as a browser's form would send them. */
function multipartBody(
  file: Buffer,
  fileName: string,
  fields: Record<string, string>,
): { contentType: string; body: Buffer } {
  const boundary = `leadport-bench-${randomBytes(12).toString('hex')}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
    'Content-Type: text/csv\r\n\r\n';
  const tail = Object.entries(fields)
    .map(([name, value]) => `\r\n--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}`)
    .join('');
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([Buffer.from(head), file, Buffer.from(`${tail}\r\n--${boundary}--\r\n`)]),
  };
}

/** POSTs `body` on a new connection and reads the whole answer. */
function send(url: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: 'POST',
        agent: false,
        timeout: IMPORT_TIMEOUT_MS,
        headers: { ...headers, 'Content-Length': String(body.length) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.once('error', reject);
      },
    );
    request.once('timeout', () => request.destroy(new Error(`no answer within ${IMPORT_TIMEOUT_MS / 1000} s`)));
    request.once('error', reject);
    request.end(body);
  });
}

function readEnvelope(text: string): Pick<ImportResponse, 'counts' | 'problem'> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { problem: `not JSON: ${text.slice(0, 200)}` };
  }
  if (!isRecord(body)) return { problem: 'body is not an object' };
  if (body.success !== true) {
    const error = isRecord(body.error) ? body.error : {};
    return { problem: `${String(error.code)}: ${String(error.message)}` };
  }
  const data = isRecord(body.data) ? body.data : {};
  const csvInfo = isRecord(data.csvInfo) ? data.csvInfo : {};
  const reasons = isRecord(data.skippedReasons) ? data.skippedReasons : {};
  const numbers = ['imported', 'updated', 'skipped', 'failed'] as const;
  if (!numbers.every((key) => typeof data[key] === 'number') || typeof csvInfo.totalRows !== 'number') {
    return { problem: `unexpected data: ${text.slice(0, 200)}` };
  }
  return {
    counts: {
      importId: String(data.importId),
      imported: data.imported as number,
      updated: data.updated as number,
      skipped: data.skipped as number,
      failed: data.failed as number,
      importedLeadIds: Array.isArray(data.importedLeadIds) ? data.importedLeadIds.length : -1,
      errors: Array.isArray(data.errors) ? data.errors.length : -1,
      totalRows: csvInfo.totalRows,
      suppressed: typeof reasons.suppressed === 'number' ? reasons.suppressed : undefined,
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ProbeResult {
  latenciesMs: number[];
  /** Probes that did not answer 200. */
  failures: string[];
}

/**
 * Sends `GET /health/ready` every `intervalMs` (one at a time, so a slow answer is seen as slow rather than
 * queued behind the next) until stopped; a probe in flight when stopped is still waited for and counted. Each
 * probe opens its own connection, as a kubelet does: a reused keep-alive socket could be closed by the server's
 * keep-alive timer firing late after a blocked event loop, which would be a client artefact.
 */
export function startHealthProbe(baseUrl: string, intervalMs: number): { stop(): Promise<ProbeResult> } {
  const result: ProbeResult = { latenciesMs: [], failures: [] };
  let stopped = false;
  const loop = (async () => {
    await sleep(intervalMs / 2);
    while (!stopped) {
      const started = performance.now();
      try {
        const status = await getStatus(`${baseUrl}/health/ready`);
        result.latenciesMs.push(performance.now() - started);
        if (status !== 200) result.failures.push(`status ${status}`);
      } catch (error) {
        result.failures.push(describeError(error));
      }
      if (!stopped) await sleep(intervalMs);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return result;
    },
  };
}

/**
 * The server's longest event-loop delay since the previous call, in ms: prom-client's
 * `nodejs_eventloop_lag_max_seconds`, which each scrape of `/metrics` resets. Undefined for a build without it.
 */
export async function eventLoopMaxMs(baseUrl: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${baseUrl}/metrics`);
    if (!response.ok) return undefined;
    const match = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(await response.text());
    return match ? Number(match[1]) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** GET on a new connection; resolves with the status once the whole body has arrived. */
function getStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { agent: false, timeout: 30_000 }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
      response.once('error', reject);
    });
    request.once('timeout', () => request.destroy(new Error('no answer within 30 s')));
    request.once('error', reject);
  });
}

export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}

/** Polls a value every `intervalMs` and keeps the largest, e.g. the server's VmRSS during one request. */
export function startMaxSampler(sample: () => number | undefined, intervalMs: number): { stop(): number } {
  let max = sample() ?? 0;
  const timer = setInterval(() => {
    const value = sample();
    if (value !== undefined && value > max) max = value;
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      const value = sample();
      return value !== undefined && value > max ? value : max;
    },
  };
}
