import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyService } from './api-key.service';
import { extractApiKey } from './api-key';
import { AuthenticatedRequest } from './current-workspace.decorator';
import { IS_PUBLIC } from './public.decorator';

/** Global guard: every route needs a valid API key unless marked @Public(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // headersDistinct: Node keeps only the first of two Authorization headers; a repeated key header must be seen.
    const { 'x-api-key': apiKey, authorization } = request.headersDistinct;
    const key = extractApiKey({ 'x-api-key': apiKey, authorization }, request.query);
    const workspaceHeader = request.headers['x-workspace-id'];
    const requested =
      typeof workspaceHeader === 'string' && workspaceHeader.trim() ? workspaceHeader.trim() : undefined;
    request.auth = await this.apiKeys.authenticate(key, requested);
    return true;
  }
}
