/**
 * The Idempotency-Key header of the import. IdempotencyGate runs first: it checks the header and answers 409 at once
 * while the key's first request still runs, before a slot is taken or the body read. IdempotencyInterceptor runs once
 * the upload is read: it claims the key for this file and options, replays a stored answer, or stores this one.
 */
import { CallHandler, ExecutionContext, HttpStatus, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { catchError, finalize, from, mergeMap, Observable, of, throwError } from 'rxjs';
import type { AuthenticatedRequest } from '../../auth/current-workspace.decorator';
import { AppError, ErrorCode, ValidationError } from '../../common/app-error';
import type { ErrorEnvelope } from '../../common/error.filter';
import type { SuccessEnvelope } from '../../common/envelope.interceptor';
import { parseImportForm } from '../dto/import-csv.form';
import { StoredResponse } from './idempotency-key.entity';
import { IdempotencyStore } from './idempotency-store';
import { requestFingerprint } from './request-fingerprint';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Set on an answer that is a stored one, not the result of running the request again. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';
/** Response headers that are part of an answer (an async import's Location) and so replayed with it. */
const KEPT_HEADERS = ['location'];
const RETRY_AFTER_SECONDS = 5;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The request's Idempotency-Key, if it has one; a malformed one is a 400. */
export function idempotencyKeyOf(request: AuthenticatedRequest): string | undefined {
  const key = request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  if (key === undefined) return undefined;
  const value = Array.isArray(key) ? key.join(', ') : key;
  const problem =
    value === ''
      ? 'it is empty'
      : value.length > 255
        ? `it has ${value.length} characters`
        : PRINTABLE_ASCII.test(value)
          ? undefined
          : 'it has a character outside that range';
  if (problem) {
    throw new ValidationError(
      `Idempotency-Key must be 1 to 255 printable ASCII characters (letters, digits, punctuation, spaces), such as ` +
        `a UUID; ${problem}. Leave the header out to import without one.`,
    );
  }
  return value;
}

@Injectable()
export class IdempotencyGate implements NestInterceptor {
  constructor(private readonly store: IdempotencyStore) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = idempotencyKeyOf(request);
    if (key !== undefined && (await this.store.isRunning(request.auth.workspaceId, key))) throw stillRunning();
    return next.handle();
  }
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(private readonly store: IdempotencyStore) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const response = http.getResponse<Response>();
    const key = idempotencyKeyOf(request);
    if (key === undefined) return next.handle();
    const { workspaceId } = request.auth;
    const form = parseImportForm(request.body as Record<string, unknown>);
    const fingerprint = requestFingerprint(request.file!.buffer, form, request.get('prefer'));
    const claim = await this.store.claim(workspaceId, key, fingerprint);
    if (claim.kind === 'reused') throw reused();
    if (claim.kind === 'running') throw stillRunning();
    if (claim.kind === 'replay') return replay(claim.response, response);

    const { claimId } = claim;
    const stopHeartbeat = this.store.heartbeat(workspaceId, key, claimId);
    const settle = async (store: () => Promise<void>) => {
      stopHeartbeat();
      // The answer goes out anyway; a claim that could not be settled goes stale and the key can be used again.
      await store().catch((error: unknown) =>
        this.logger.error({ err: error }, 'Could not store an idempotent answer'),
      );
    };
    return next.handle().pipe(
      mergeMap((data: unknown) =>
        from(
          settle(() =>
            this.store.finish(workspaceId, key, claimId, {
              status: response.statusCode,
              headers: keptHeaders(response),
              body: { success: true, data } satisfies SuccessEnvelope<unknown>,
            }),
          ),
        ).pipe(mergeMap(() => of(data))),
      ),
      catchError((error: unknown) =>
        from(
          settle(() =>
            // A client error is the answer to this request; a failure on our side (5xx) must allow a retry.
            error instanceof AppError && error.status < HttpStatus.INTERNAL_SERVER_ERROR
              ? this.store.finish(workspaceId, key, claimId, errorResponse(error))
              : this.store.release(workspaceId, key, claimId),
          ),
        ).pipe(mergeMap(() => throwError(() => error))),
      ),
      finalize(stopHeartbeat),
    );
  }
}

/** Sends a stored answer as it was: a success through the envelope, an error through the error filter. */
function replay(stored: StoredResponse, response: Response): Observable<unknown> {
  response.setHeader(REPLAYED_HEADER, 'true');
  const body = stored.body as SuccessEnvelope<unknown> | ErrorEnvelope;
  if (!body.success) throw new AppError(body.error.code as ErrorCode, body.error.message, stored.headers);
  response.status(stored.status);
  for (const [name, value] of Object.entries(stored.headers)) response.setHeader(name, value);
  return of(body.data);
}

function keptHeaders(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = response.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

function errorResponse(error: AppError): StoredResponse {
  const body: ErrorEnvelope = { success: false, error: { code: error.code, message: error.message } };
  return { status: error.status, headers: error.headers, body };
}

function stillRunning(): AppError {
  return new AppError(
    ErrorCode.CONFLICT,
    `The first request with this Idempotency-Key is still running. Retry after ${RETRY_AFTER_SECONDS} s to get ` +
      'its result.',
    { 'Retry-After': String(RETRY_AFTER_SECONDS) },
  );
}

function reused(): AppError {
  return new AppError(
    ErrorCode.IDEMPOTENCY_KEY_REUSED,
    'This Idempotency-Key was already used with a different file or different options. Use a new key for a new ' +
      'import (any unique string, such as a UUID); send the same file and options to get the first result again.',
  );
}
