import { ApiKey } from '../auth/api-key.entity';
import { User } from '../auth/user.entity';
import { Workspace } from '../auth/workspace.entity';
import { WorkspaceMember } from '../auth/workspace-member.entity';
import { CustomField } from '../custom-fields/custom-field.entity';
import { ImportBatch, ImportLedgerEntry, ImportRowErrorEntry } from '../import/history/import-batch.entity';
import { ImportProgress, ImportRecord } from '../import/history/import-record.entity';
import { ImportUploadChunk } from '../import/queue/import-upload.entity';
import { IdempotencyKey } from '../import/idempotency/idempotency-key.entity';
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
  ImportProgress,
  ImportBatch,
  ImportRowErrorEntry,
  ImportLedgerEntry,
  ImportUploadChunk,
  Suppression,
  WebhookSecret,
  WebhookDelivery,
  IdempotencyKey,
];
