import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AppError, ErrorCode } from './app-error';

export interface ErrorEnvelope {
  success: false;
  error: { code: string; message: string };
}

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.UNAUTHORIZED]: ErrorCode.UNAUTHORIZED,
  [HttpStatus.FORBIDDEN]: ErrorCode.FORBIDDEN,
  [HttpStatus.NOT_FOUND]: ErrorCode.NOT_FOUND,
  [HttpStatus.REQUEST_TIMEOUT]: ErrorCode.REQUEST_TIMEOUT,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PAYLOAD_TOO_LARGE,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.RATE_LIMITED,
  [HttpStatus.SERVICE_UNAVAILABLE]: ErrorCode.SERVICE_UNAVAILABLE,
};

/** Turns every error into the failure envelope; unknown errors become a logged, generic 500. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const { status, code, message, headers } = this.describe(exception, request);

    if (status >= 500 && !(exception instanceof AppError)) {
      this.logger.error({ err: exception, requestId: request.id }, `Request failed: ${request.method} ${request.path}`);
    } else if (status >= 500) {
      // A failure we explained to the client (shutdown, lost database): the cause was logged where it happened.
      this.logger.warn({ requestId: request.id, code }, message);
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    const body: ErrorEnvelope = { success: false, error: { code, message } };
    response.status(status).json(body);
  }

  private describe(exception: unknown, request: Request & { id?: string }) {
    if (exception instanceof AppError) {
      return { status: exception.status, code: exception.code, message: exception.message, headers: exception.headers };
    }
    if (exception instanceof ThrottlerException) {
      return {
        status: HttpStatus.TOO_MANY_REQUESTS,
        code: ErrorCode.RATE_LIMITED,
        message: 'Too many requests for this API key. Wait for the number of seconds in Retry-After and try again.',
        headers: {},
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, code: codeFor(status), message: messageOf(exception), headers: {} };
    }
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      code: ErrorCode.INTERNAL_ERROR,
      message: `Internal server error. If it persists, report it with request id ${request.id ?? 'unknown'}.`,
      headers: {},
    };
  }
}

function codeFor(status: number): ErrorCode {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.VALIDATION_ERROR);
}

function messageOf(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}
