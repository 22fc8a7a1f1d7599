import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../auth/current-workspace.decorator';
import { AppError, ErrorCode } from './app-error';

/**
 * Rate limits per API key (not per IP: many customers share NAT addresses). Runs after ApiKeyGuard;
 * public routes (health probes) are not limited. A limited request gets 429 RATE_LIMITED with Retry-After.
 */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Partial<AuthenticatedRequest>): Promise<string> {
    return Promise.resolve(req.auth!.apiKeyId);
  }

  /**
   * One counter per key and throttler across all routes. The library's default key also holds the controller and
   * handler names, which would give every route its own budget: N routes, N times the limit.
   */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new AppError(
      ErrorCode.RATE_LIMITED,
      `Rate limit of ${detail.limit} requests per ${detail.ttl / 1000} s reached for this API key. ` +
        `Retry after ${seconds} s.`,
      { 'Retry-After': String(seconds) },
    );
  }
}

export function isAuthenticated(context: ExecutionContext): boolean {
  return context.switchToHttp().getRequest<Partial<AuthenticatedRequest>>().auth !== undefined;
}
