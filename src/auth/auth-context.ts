import type { ApiKeyKind } from './api-key.entity';

/** Who is calling and on which workspace; set on the request by ApiKeyGuard. */
export interface AuthContext {
  workspaceId: string;
  apiKeyId: string;
  keyKind: ApiKeyKind;
  userId: string | null;
}
