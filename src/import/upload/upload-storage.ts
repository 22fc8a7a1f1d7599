import type { Request } from 'express';
import type { StorageEngine } from 'multer';

/**
 * multer's memory storage keeps every chunk and then concatenates them: two copies of the file at the peak.
 * This one copies the chunks into one buffer that grows (doubling) as bytes arrive, so the file exists about once
 * and a client pays memory only for what it has sent, at most four times over: a Content-Length is a promise, not a
 * reservation (a slow client declaring the largest upload must not hold that much memory). The declared length caps
 * a growth step, so an honest upload ends in a buffer of its own size.
 */
const EMPTY: Buffer = Buffer.alloc(0);
const FIRST_BUFFER_BYTES = 64 * 1024;

export class SingleCopyMemoryStorage implements StorageEngine {
  constructor(private readonly maxFileBytes: number) {}

  _handleFile(
    req: Request,
    file: Express.Multer.File,
    callback: (error?: unknown, info?: Partial<Express.Multer.File>) => void,
  ): void {
    const declared = Number(req.headers['content-length']);
    const hint = Number.isSafeInteger(declared) && declared > 0 ? declared : Infinity;
    let target: Buffer = EMPTY;
    let filled = 0;
    file.stream.on('data', (chunk: Buffer) => {
      if (filled + chunk.length > target.length) target = grow(target, filled, filled + chunk.length, hint);
      chunk.copy(target, filled);
      filled += chunk.length;
      // A fast client's chunks arrive in bursts, which would all be copied in one event-loop turn: each chunk takes a
      // turn of its own, so other requests (health probes) are served in between.
      file.stream.pause();
      setImmediate(() => file.stream.resume());
    });
    file.stream.on('error', (error) => {
      target = EMPTY;
      callback(error);
    });
    file.stream.on('end', () => {
      const buffer = target.subarray(0, filled);
      // The stream's listeners outlive the upload: they must not keep the file alive once the import lets it go.
      target = EMPTY;
      callback(null, { buffer, size: buffer.length });
    });
  }

  _removeFile(_req: Request, file: Express.Multer.File, callback: (error: Error | null) => void): void {
    (file as Partial<Express.Multer.File>).buffer = undefined;
    callback(null);
  }
}

/**
 * A buffer of at least `needed` bytes holding the first `filled` of `current`: double the size, at least 64 KB, but
 * no more than the declared length while the body stays within it. Once a quarter of the declared length has
 * arrived, the rest of it is taken at once: the last doublings of a large file would each copy tens of megabytes in
 * one event-loop turn. (multer stops the file past the upload limit.)
 */
function grow(current: Buffer, filled: number, needed: number, declared: number): Buffer {
  let size = Math.max(needed, current.length * 2, FIRST_BUFFER_BYTES);
  if (needed <= declared) size = needed * 4 >= declared ? declared : Math.min(size, declared);
  const next = Buffer.allocUnsafeSlow(size); // not from the shared pool: the file owns its memory
  current.copy(next, 0, 0, filled);
  return next;
}
