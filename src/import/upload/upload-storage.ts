import type { Request } from 'express';
import type { StorageEngine } from 'multer';

/**
 * multer's memory storage keeps every chunk and then concatenates them: two copies of a 50 MB file
 * at the peak. This one writes the chunks into one buffer sized by the request's Content-Length (an
 * upper bound of the file, itself capped by the upload limit), so the file exists once. Without a
 * Content-Length (a chunked upload) it collects chunks as multer does.
 */
const EMPTY = Buffer.alloc(0);

export class SingleCopyMemoryStorage implements StorageEngine {
  constructor(private readonly maxFileBytes: number) {}

  _handleFile(
    req: Request,
    file: Express.Multer.File,
    callback: (error?: unknown, info?: Partial<Express.Multer.File>) => void,
  ): void {
    const declared = Number(req.headers['content-length']);
    let target =
      Number.isSafeInteger(declared) && declared > 0
        ? Buffer.allocUnsafe(Math.min(declared, this.maxFileBytes + 1))
        : Buffer.alloc(0);
    let filled = 0;
    const rest: Buffer[] = [];
    file.stream.on('data', (chunk: Buffer) => {
      if (rest.length === 0 && filled + chunk.length <= target.length) {
        chunk.copy(target, filled);
        filled += chunk.length;
      } else {
        rest.push(chunk);
      }
    });
    file.stream.on('error', (error) => callback(error));
    file.stream.on('end', () => {
      const head = target.subarray(0, filled);
      const buffer = rest.length === 0 ? head : Buffer.concat([head, ...rest]);
      // The stream's listeners outlive the upload: they must not keep the file alive once the import lets it go.
      target = EMPTY;
      rest.length = 0;
      callback(null, { buffer, size: buffer.length });
    });
  }

  _removeFile(_req: Request, file: Express.Multer.File, callback: (error: Error | null) => void): void {
    (file as Partial<Express.Multer.File>).buffer = undefined;
    callback(null);
  }
}
