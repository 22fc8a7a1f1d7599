import { ApiKey } from '../auth/api-key.entity';
import { User } from '../auth/user.entity';
import { Workspace } from '../auth/workspace.entity';
import { WorkspaceMember } from '../auth/workspace-member.entity';
import { CustomField } from '../custom-fields/custom-field.entity';
import { ImportBatch, ImportLedgerEntry, ImportRowErrorEntry } from '../import/history/import-batch.entity';
import { IdempotencyKey } from '../import/idempotency/idempotency-key.entity';
import { ImportRecord } from '../import/history/import-record.entity';
import { Lead } from '../leads/lead.entity';
import { LeadTag, Tag } from '../leads/tag.entity';
import { Suppression } from '../suppressions/suppression.entity';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity';
import { WebhookSecret } from '../webhooks/webhook-secret.entity';

export const ENTITIES = [
  Workspace,
  User,
  WorkspaceMember,
  ApiKey,
  Lead,
  Tag,
  LeadTag,
  CustomField,
  ImportRecord,
  ImportBatch,
  ImportRowErrorEntry,
  ImportLedgerEntry,
  Suppression,
  WebhookSecret,
  WebhookDelivery,
  IdempotencyKey,
];
