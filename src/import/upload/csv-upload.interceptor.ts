import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { Observable } from 'rxjs';
import { AppError, ErrorCode, ValidationError } from '../../common/app-error';
import { formatBytes } from '../../common/text';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { fieldTooLarge, FORM_FIELD_MAX_BYTES, FORM_FIELDS, isDryRun } from '../dto/import-csv.form';
import type { SlotHolder } from './import-slots';
import { SingleCopyMemoryStorage } from './upload-storage';

export const FILE_FIELD = 'file';

const FILE_REQUIRED = 'CSV file is required. Send as multipart/form-data with field name "file".';

/**
 * Reads the multipart upload with multer into memory, within strict limits: one file up to the
 * upload limit, a few small text fields. Runs after the guards, so no body is read for a bad key.
 * Every multer/busboy failure becomes a 400 or 413 that says what to change.
 */
@Injectable()
export class CsvUploadInterceptor implements NestInterceptor {
  private readonly upload: ReturnType<ReturnType<typeof multer>['single']>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.upload = multer({
      storage: new SingleCopyMemoryStorage(config.import.maxFileBytes),
      limits: {
        fileSize: config.import.maxFileBytes,
        files: 1,
        // Every known field, and one more so that a repeated or unknown field gets the form parser's clearer message.
        fields: FORM_FIELDS.length + 1,
        fieldSize: FORM_FIELD_MAX_BYTES,
        fieldNameSize: 100,
        parts: FORM_FIELDS.length + 3,
        headerPairs: 50,
      },
    }).single(FILE_FIELD);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const watch = watchUpload(request, this.config.import.uploadIdleTimeoutMs, this.config.import.uploadDeadlineMs);
    try {
      await Promise.race([
        new Promise<void>((resolve, reject) => {
          this.upload(request, response, (error: unknown) => (error ? reject(this.translate(error)) : resolve()));
        }),
        watch.timedOut,
      ]);
    } catch (error) {
      // After a 408 the rest of the body is not worth reading: closing the connection ends it (and multer).
      if (error instanceof AppError && error.code === ErrorCode.REQUEST_TIMEOUT)
        response.setHeader('Connection', 'close');
      throw error;
    } finally {
      watch.stop();
    }
    if (!request.file) throw new ValidationError(FILE_REQUIRED);
    // A preview counts against the rate limit, not against the slots: it writes nothing.
    if (isDryRun(request.body)) (request as SlotHolder).releaseImportSlot?.();
    return next.handle();
  }

  private translate(error: unknown): Error {
    if (error instanceof MulterError) {
      switch (error.code) {
        case 'LIMIT_FILE_SIZE':
          return new AppError(
            ErrorCode.PAYLOAD_TOO_LARGE,
            `CSV file is larger than ${formatBytes(this.config.import.maxFileBytes)}. Split it into smaller files.`,
          );
        case 'LIMIT_FILE_COUNT':
          return new ValidationError('Send exactly one CSV file, in the field named "file".');
        case 'LIMIT_UNEXPECTED_FILE':
          return new ValidationError(
            error.field === FILE_FIELD
              ? 'Send exactly one CSV file, in the field named "file".'
              : `Unexpected file field "${error.field}". ${FILE_REQUIRED}`,
          );
        case 'LIMIT_FIELD_VALUE':
          return fieldTooLarge(error.field ?? 'mapping');
        case 'LIMIT_FIELD_COUNT':
        case 'LIMIT_PART_COUNT':
        case 'LIMIT_FIELD_KEY':
          return new ValidationError(`Too many or too long form fields. Send only: file, ${FORM_FIELDS.join(', ')}.`);
        default:
          return new ValidationError(`Malformed multipart/form-data body (${error.message}).`);
      }
    }
    // busboy: missing boundary, truncated body, bad part headers; or the client went away.
    const message = error instanceof Error ? error.message : String(error);
    return new ValidationError(`Malformed multipart/form-data body (${message}). ${FILE_REQUIRED}`);
  }
}

/**
 * Rejects with 408 when the body stops arriving for `idleMs`, or is still arriving after `deadlineMs`: an import
 * slot is taken before the body is read, so a client sending nothing (or 1 KB/s) must not keep it. Progress is read
 * from the socket's byte count, which leaves the request stream to multer alone.
 */
function watchUpload(request: Request, idleMs: number, deadlineMs: number) {
  const started = Date.now();
  let lastBytes = request.socket.bytesRead;
  let lastProgress = started;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setInterval(
      () => {
        const now = Date.now();
        if (request.socket.bytesRead !== lastBytes) {
          lastBytes = request.socket.bytesRead;
          lastProgress = now;
        }
        if (now - lastProgress >= idleMs) {
          reject(timeout(`No part of the upload arrived for ${seconds(idleMs)}.`));
        } else if (now - started >= deadlineMs) {
          reject(timeout(`The upload did not finish within ${seconds(deadlineMs)}.`));
        }
      },
      Math.max(25, Math.min(1000, idleMs / 4)),
    );
  });
  timedOut.catch(() => undefined); // settled after the race is over: nobody else listens
  return { timedOut, stop: () => clearInterval(timer) };
}

function timeout(reason: string): AppError {
  return new AppError(ErrorCode.REQUEST_TIMEOUT, `${reason} Send the file again on a faster or steadier connection.`);
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
