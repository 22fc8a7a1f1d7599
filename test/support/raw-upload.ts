/**
 * An import upload written by hand over `node:http`, for tests (and the hostile bench) that hold, slow down or abort a
 * multipart body half-way, which supertest cannot.
 */
import * as http from 'node:http';

export interface RawUploadOptions {
  port: number | string;
  host?: string;
  key: string;
  boundary: string;
  /** The declared body size; without it the body is sent chunked. */
  contentLength?: number;
}

/** Opens `POST /v1/leads/import/csv`; the caller writes the body (see `filePartHead`) and ends it, or does not. */
export function openRawUpload({ port, host = '127.0.0.1', key, boundary, contentLength }: RawUploadOptions) {
  const headers: http.OutgoingHttpHeaders = {
    'X-Api-Key': key,
    'Content-Type': `multipart/form-data; boundary=${boundary}`,
  };
  if (contentLength !== undefined) headers['Content-Length'] = contentLength;
  return http.request({ host, port, method: 'POST', path: '/v1/leads/import/csv', headers });
}

/** The start of the `file` part, up to its first byte. */
export function filePartHead(boundary: string, fileName: string, contentType?: string): string {
  const type = contentType ? `Content-Type: ${contentType}\r\n` : '';
  return `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n${type}\r\n`;
}

/**
 * The answer, its body parsed as JSON; rejects if the connection fails first. Marked handled: a test that drops the
 * upload on purpose never reads it.
 */
export function jsonAnswer<T>(request: http.ClientRequest): Promise<{ status: number; body: T }> {
  const answer = new Promise<{ status: number; body: T }>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) as T }),
      );
      res.on('error', reject);
    });
  });
  answer.catch(() => undefined);
  return answer;
}
