import type { Request } from 'express';
import { PassThrough } from 'node:stream';
import { SingleCopyMemoryStorage } from './upload-storage';

function store(contentLength: string | undefined, chunks: string[]): Promise<Buffer> {
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
  it('assembles the file in one buffer sized by Content-Length', async () => {
    expect((await store('100', ['Email\n', 'a@b.co\n'])).toString()).toBe('Email\na@b.co\n');
  });

  it('still reads the whole file without a Content-Length or when the body is longer than declared', async () => {
    expect((await store(undefined, ['ab', 'cd'])).toString()).toBe('abcd');
    expect((await store('3', ['ab', 'cd', 'ef'])).toString()).toBe('abcdef');
    expect((await store('junk', ['x'])).toString()).toBe('x');
  });
});
