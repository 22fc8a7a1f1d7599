/** An import whose upload the test holds open, so that its import slot stays taken until the test finishes it. */
import { filePartHead, jsonAnswer, openRawUpload } from './raw-upload';

const BOUNDARY = 'heldimportuploadboundary';

export interface HeldUpload {
  /** Sends the rest of the body and resolves with the answer. */
  finish(): Promise<{ status: number; body: { success: boolean; error?: { code: string; message: string } } }>;
  /** Drops the connection without finishing. */
  abort(): void;
}

/** Starts a chunked multipart upload of a CSV with the header `Email` and one row, and leaves it open. */
export function holdUpload(port: number, key: string, email: string): HeldUpload {
  const request = openRawUpload({ port, key, boundary: BOUNDARY });
  request.write(`${filePartHead(BOUNDARY, 'held.csv')}Email\n`);
  const response = jsonAnswer<Awaited<ReturnType<HeldUpload['finish']>>['body']>(request);
  return {
    finish: () => {
      request.end(`${email}\n\r\n--${BOUNDARY}--\r\n`);
      return response;
    },
    abort: () => request.destroy(),
  };
}
