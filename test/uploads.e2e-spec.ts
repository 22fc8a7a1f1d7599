import { ApiKeyService } from '../src/auth/api-key.service';
import { ImportSlots } from '../src/import/upload/import-slots';
import { expectError, importCsv } from './support/import';
import { filePartHead, jsonAnswer, openRawUpload } from './support/raw-upload';
import { countRows, describeEachDatabase, listeningPort, until } from './support/test-app';

const boundary = 'slowuploadboundary';

interface SlowUpload {
  response: Promise<{ status: number; body: { success: boolean; error?: { code: string; message: string } } }>;
  stop(): void;
}

/**
 * A multipart upload declaring a 10 MB body that sends `bytesPerSecond` (1 KB/s) after its first part, for at most
 * `seconds` seconds, then goes quiet without closing the connection.
 */
function slowUpload(port: number, key: string, bytesPerSecond: number, seconds: number): SlowUpload {
  const request = openRawUpload({ port, key, boundary, contentLength: 10 * 1024 * 1024 });
  request.write(`${filePartHead(boundary, 'slow.csv')}Email\n`);
  let sent = 0;
  const timer = setInterval(() => {
    if (++sent > seconds || request.destroyed) return;
    request.write('slow@upload.example\n'.repeat(Math.ceil(bytesPerSecond / 20)).slice(0, bytesPerSecond));
  }, 1000);
  // The server closes the connection after its 408: the answer has come by then.
  const response = jsonAnswer<never>(request);
  const stop = () => {
    clearInterval(timer);
    request.destroy();
  };
  void response.then(stop, stop);
  return { response, stop };
}

describeEachDatabase(
  'uploads: idle timeout, deadline and slots per key',
  (ctx) => {
    it('answers 408 REQUEST_TIMEOUT to an upload that goes quiet, and frees its slot', async () => {
      const { key, workspaceId } = await ctx().newWorkspace();
      const slots = ctx().app.get(ImportSlots);
      const started = Date.now();
      const upload = slowUpload(await listeningPort(ctx()), key, 1024, 1);
      await until(() => slots.active === 1, 'the upload takes its slot');
      const res = await upload.response;
      expect(res).toEqual({
        status: 408,
        body: {
          success: false,
          error: {
            code: 'REQUEST_TIMEOUT',
            message: 'No part of the upload arrived for 1 s. Send the file again on a faster or steadier connection.',
          },
        },
      });
      expect(Date.now() - started).toBeLessThan(10_000);
      await until(() => slots.active === 0, 'the timed-out upload gives its slot back');
      await importCsv(ctx(), key, 'Email\nafter-idle@upload.example\n').expect(200);
      expect(await countRows(ctx(), 'leads', workspaceId)).toBe(1);
    });
  },
  { UPLOAD_IDLE_TIMEOUT_MS: '1000', UPLOAD_DEADLINE_MS: '60000' },
);

describeEachDatabase(
  'uploads: the whole-request deadline and slots per key',
  (ctx) => {
    it('bounds a steady 1 KB/s upload by the deadline; meanwhile its key alone is busy', async () => {
      const { key, workspaceId } = await ctx().newWorkspace();
      const { key: secondKey } = await ctx().app.get(ApiKeyService).createKey({ workspaceId });
      const other = await ctx().newWorkspace();
      const slots = ctx().app.get(ImportSlots);
      const started = Date.now();
      const upload = slowUpload(await listeningPort(ctx()), key, 1024, 60);
      await until(() => slots.active === 1, 'the slow upload takes its slot');

      const sameKey = await importCsv(ctx(), key, 'Email\nsame-key@upload.example\n');
      expectError(sameKey, 429, 'RATE_LIMITED');
      expect(sameKey.body.error.message).toContain('This API key is running 1 imports already');
      await importCsv(ctx(), secondKey, 'Email\nsecond-key@upload.example\n').expect(200);
      await importCsv(ctx(), other.key, 'Email\nother@upload.example\n').expect(200);

      const res = await upload.response;
      expect(res.status).toBe(408);
      expect(res.body.error).toEqual({
        code: 'REQUEST_TIMEOUT',
        message: 'The upload did not finish within 4 s. Send the file again on a faster or steadier connection.',
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_000);
      expect(Date.now() - started).toBeLessThan(15_000);
      await until(() => slots.active === 0, 'the slow upload gives its slot back');
      await importCsv(ctx(), key, 'Email\nafter-deadline@upload.example\n').expect(200);
      expect(await countRows(ctx(), 'leads', workspaceId)).toBe(2);
    }, 20_000);
  },
  // The idle timeout well above the client's 1 s between chunks, so that a busy machine cannot make it fire first.
  { UPLOAD_IDLE_TIMEOUT_MS: '3000', UPLOAD_DEADLINE_MS: '4000' },
);
