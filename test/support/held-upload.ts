/** An import whose upload the test holds open, so that its import slot stays taken until the test finishes it. */
import * as http from 'node:http';

const BOUNDARY = 'heldimportuploadboundary';

export interface HeldUpload {
  /** Sends the rest of the body and resolves with the answer. */
  finish(): Promise<{ status: number; body: { success: boolean; error?: { code: string; message: string } } }>;
  /** Drops the connection without finishing. */
  abort(): void;
}

/** Starts a chunked multipart upload of a CSV with the header `Email` and one row, and leaves it open. */
export function holdUpload(port: number, key: string, email: string): HeldUpload {
  const request = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/v1/leads/import/csv',
    headers: { 'X-Api-Key': key, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
  });
  request.on('error', () => undefined); // an aborted upload's connection error is expected
  request.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="held.csv"\r\n\r\nEmail\n`);
  const response = new Promise<Awaited<ReturnType<HeldUpload['finish']>>>((resolve, reject) => {
    request.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as never }));
      res.on('error', reject);
    });
  });
  return {
    finish: () => {
      request.end(`${email}\n\r\n--${BOUNDARY}--\r\n`);
      return response;
    },
    abort: () => request.destroy(),
  };
}
