/** What the JSON and form body parsers accept beyond their size limits, and how their refusals read. */
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { AppError, ErrorCode, ValidationError } from './app-error';

/** application/json and its suffixed kinds, such as application/merge-patch+json for a PATCH. */
export const JSON_TYPES = ['application/json', 'application/*+json'];

/** Far deeper than any body of this API; Nest's ValidationPipe walks a body recursively and overflows on thousands. */
export const MAX_BODY_DEPTH = 32;

/**
 * Express middleware placed after the body parsers: their errors carry `status` (and most a `type`), which
 * Nest would otherwise flatten into the parser's own wording, or into a 500.
 */
export function translateBodyParserErrors(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  if (typeof error !== 'object' || error === null) return next(error);
  const { type, status, encoding } = error as { type?: unknown; status?: unknown; encoding?: unknown };
  if (type === 'entity.too.large') {
    return next(
      new AppError(
        ErrorCode.PAYLOAD_TOO_LARGE,
        'Request body is too large (JSON and form bodies: 100 KB; POST /v1/suppressions: 4 MB).',
      ),
    );
  }
  if (type === 'entity.parse.failed') {
    return next(new AppError(ErrorCode.VALIDATION_ERROR, 'Request body is not valid JSON.'));
  }
  if (type === 'encoding.unsupported') {
    const named = typeof encoding === 'string' ? `"${encoding}" ` : '';
    return next(
      new ValidationError(
        `Content-Encoding ${named}is not supported: send the body uncompressed, or as gzip, deflate or br.`,
      ),
    );
  }
  // A compressed body that does not decompress has no `type`, only its status.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return next(new ValidationError('Request body could not be read; check its Content-Type and Content-Encoding.'));
  }
  next(error);
}

/** Refuses a parsed body nested deeper than MAX_BODY_DEPTH, before any recursive code walks it. */
export function refuseDeepBodies(req: Request, _res: Response, next: NextFunction): void {
  if (depthExceeds(req.body, MAX_BODY_DEPTH)) {
    return next(new ValidationError(`Request body is nested too deeply (at most ${MAX_BODY_DEPTH} levels).`));
  }
  next();
}

/** True when the value holds objects or arrays more than `limit` levels deep; iterative, so any depth is safe. */
function depthExceeds(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

export const JSON_ONLY = 'Send the body as JSON, with the header Content-Type: application/json.';

/**
 * For a route that takes JSON: a body in any other type (text/plain, XML, a form) would reach the handler as `{}`
 * and answer 200 having done nothing.
 */
@Injectable()
export class JsonBodyOnly implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && !req.is(JSON_TYPES)) throw new ValidationError(JSON_ONLY);
    return next.handle();
  }
}
