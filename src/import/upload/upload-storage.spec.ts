import type { Request } from 'express';
import { PassThrough } from 'node:stream';
import { SingleCopyMemoryStorage } from './upload-storage';

function store(contentLength: string | undefined, chunks: Array<string | Buffer>): Promise<Buffer> {
  const stream = new PassThrough();
  const request = { headers: contentLength === undefined ? {} : { 'content-length': contentLength } } as Request;
  const file = { stream } as unknown as Express.Multer.File;
  const stored = new Promise<Buffer>((resolve, reject) =>
    new SingleCopyMemoryStorage(1000)._handleFile(request, file, (error, info) =>
      error ? reject(new Error('store failed', { cause: error })) : resolve(info!.buffer!),
    ),
  );
  for (const chunk of chunks) stream.write(Buffer.from(chunk));
  stream.end();
  return stored;
}

describe('SingleCopyMemoryStorage', () => {
  it('assembles the file in one buffer, no larger than the declared Content-Length', async () => {
    const stored = await store('100', ['Email\n', 'a@b.co\n']);
    expect(stored.toString()).toBe('Email\na@b.co\n');
    expect(stored.buffer.byteLength).toBeLessThanOrEqual(100);
  });

  it('grows the buffer as bytes arrive instead of reserving the declared length', async () => {
    const stored = await store(String(50 * 1024 * 1024), ['x'.repeat(10)]);
    expect(stored.toString()).toBe('x'.repeat(10));
    expect(stored.buffer.byteLength).toBe(64 * 1024);
    const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(10_000, 97 + (i % 26)));
    const big = await store(undefined, chunks);
    expect(big.equals(Buffer.concat(chunks))).toBe(true);
    expect(big.buffer.byteLength).toBeLessThan(2 * 400_000);
  });

  it('takes the rest of the declared length at once when a quarter of it has arrived', async () => {
    const chunks = [Buffer.alloc(100_000, 97), Buffer.alloc(200_000, 98), Buffer.alloc(50_000, 99)];
    const stored = await store(String(1_000_000), chunks);
    expect(stored.equals(Buffer.concat(chunks))).toBe(true);
    expect(stored.buffer.byteLength).toBe(1_000_000);
    expect((await store(String(1_000_000), [chunks[0]])).buffer.byteLength).toBe(100_000);
  });

  it('still reads the whole file without a Content-Length or when the body is longer than declared', async () => {
    expect((await store(undefined, ['ab', 'cd'])).toString()).toBe('abcd');
    expect((await store('3', ['ab', 'cd', 'ef'])).toString()).toBe('abcdef');
    expect((await store('junk', ['x'])).toString()).toBe('x');
  });
});
