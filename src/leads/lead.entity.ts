import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, jsonTransformer, TIMESTAMP_COLUMN } from '../database/columns';
import type { LeadStatus } from './lead-status';

export const TEXT_FIELD_MAX = 500;

const text = (name: string) => ({ type: 'varchar', length: TEXT_FIELD_MAX, nullable: true, name }) as const;

@Entity('leads')
export class Lead {
  @PrimaryColumn(ID_COLUMN)
  id: string;

  @Column({ ...ID_COLUMN, name: 'workspace_id' })
  workspaceId: string;

  /** The email as stored (cleaned, or as given when cleanup is off). */
  @Column({ type: 'varchar', length: 320 })
  email: string;

  /** The identity (`identityOf` in import/normalize/email.ts); UNIQUE per workspace, compared byte for byte. */
  @Column({ type: 'varchar', length: 320, name: 'email_key' })
  emailKey: string;

  @Column(text('first_name')) firstName: string | null;
  @Column(text('last_name')) lastName: string | null;
  @Column(text('company_name')) companyName: string | null;
  @Column(text('job_title')) jobTitle: string | null;
  @Column(text('phone')) phone: string | null;
  @Column(text('linkedin_url')) linkedinUrl: string | null;
  @Column(text('website')) website: string | null;
  @Column(text('city')) city: string | null;
  @Column(text('state')) state: string | null;
  @Column(text('country')) country: string | null;
  @Column(text('timezone')) timezone: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'text', name: 'custom_fields', transformer: jsonTransformer<Record<string, string>>({}) })
  customFields: Record<string, string>;

  /** Set through the API only: no import changes it. */
  @Column({ type: 'varchar', length: 20, default: 'active' })
  status: LeadStatus;

  /** Quality flags, comma-separated (see lead-status.ts). */
  @Column({ type: 'varchar', length: 40, default: '' })
  flags: string;

  @Column({ ...TIMESTAMP_COLUMN, name: 'created_at' })
  createdAt: Date;

  @Column({ ...TIMESTAMP_COLUMN, name: 'updated_at' })
  updatedAt: Date;
}
