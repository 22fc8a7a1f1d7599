import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Not, Repository } from 'typeorm';
import { AppError, ErrorCode, ValidationError } from '../common/app-error';
import { isUniqueViolation } from '../common/database-errors';
import { codePointLength, formatBytes, truncate } from '../common/text';
import { CUSTOM_FIELD_NAME_MAX, CUSTOM_FIELDS_MAX_BYTES, customFieldsFit } from '../custom-fields/custom-field-limits';
import { CustomFieldsService } from '../custom-fields/custom-fields.service';
import { Normalizer } from '../import/normalize/normalizer';
import { UpdateLeadBody } from './dto/update-lead.body';
import { LEAD_FIELDS, LeadField } from './lead-fields';
import { flagsToColumn } from './lead-status';
import { Lead } from './lead.entity';
import { emailQuality } from './quality/email-quality';

/** PATCH of one lead: the import's Normalizer (cleanup on) decides values and limits, so both paths store alike. */
@Injectable()
export class LeadEditor {
  constructor(
    @InjectRepository(Lead) private readonly leads: Repository<Lead>,
    private readonly normalizer: Normalizer,
    private readonly customFields: CustomFieldsService,
  ) {}

  async update(lead: Lead, body: UpdateLeadBody): Promise<Lead> {
    const changes = body as Partial<Record<LeadField, string | null>>;
    const custom = this.customChanges(body.customFields);
    // The Normalizer reads a whole row: the stored email stands in when the patch does not change it.
    const raw: Record<string, string> = { email: body.email ?? lead.email };
    for (const field of LEAD_FIELDS) {
      const value = changes[field];
      if (field !== 'email' && typeof value === 'string' && value.trim() !== '') raw[field] = value;
    }
    // A phone is read in the lead's country, as an import reads it in the row's.
    if (raw.phone !== undefined && raw.country === undefined && changes.country !== null && lead.country) {
      raw.country = lead.country;
    }
    const setCustom = custom.filter((entry): entry is [string, string] => entry[1] !== null);
    const cleaned = this.normalizer.normalize({ fields: raw, custom: setCustom }, true);
    if (!cleaned.ok) throw new ValidationError(namingField(cleaned.error));

    for (const field of LEAD_FIELDS) {
      if (field === 'email' || changes[field] === undefined) continue;
      // A value that cleanup empties (or null, or "") clears the field.
      (lead[field as keyof Lead] as string | null) = cleaned.fields[field] ?? null;
    }
    if (body.email !== undefined && cleaned.identity !== lead.emailKey) {
      const taken = await this.leads.existsBy({
        workspaceId: lead.workspaceId,
        emailKey: cleaned.identity,
        id: Not(lead.id),
      });
      if (taken) throw emailTaken();
      lead.emailKey = cleaned.identity;
      lead.flags = flagsToColumn(emailQuality(cleaned.identity).flags);
    }
    if (body.email !== undefined) lead.email = cleaned.fields.email!;
    if (custom.length > 0) {
      const newNames = setCustom.map(([name]) => name);
      await this.customFields.assertRoomFor(lead.workspaceId, newNames, 'edit');
      const names = await this.customFields.register(lead.workspaceId, newNames);
      const merged: Record<string, string> = Object.assign(Object.create(null) as object, lead.customFields);
      for (const [name] of custom) {
        const stored = names.get(name) ?? name;
        // Null, or a value that cleanup empties, removes the field.
        const value = cleaned.custom.find(([cleanName]) => cleanName === name)?.[1];
        if (value === undefined) delete merged[stored];
        else merged[stored] = value;
      }
      if (!customFieldsFit(merged)) {
        throw new ValidationError(
          `customFields: the lead's custom fields would be larger than ${formatBytes(CUSTOM_FIELDS_MAX_BYTES)}.`,
        );
      }
      lead.customFields = merged;
    }
    if (body.status !== undefined) lead.status = body.status;
    lead.updatedAt = new Date();
    try {
      return await this.leads.save(lead);
    } catch (error) {
      // Another request gave a lead this email between the check above and this save.
      if (isUniqueViolation(error)) throw emailTaken();
      throw error;
    }
  }

  private customChanges(customFields: Record<string, unknown> | undefined): Array<[string, string | null]> {
    const entries = Object.entries(customFields ?? {});
    for (const [name, value] of entries) {
      if (name.trim() === '') throw new ValidationError('customFields: a custom field needs a name.');
      if (codePointLength(name) > CUSTOM_FIELD_NAME_MAX) {
        throw new ValidationError(
          `customFields: the name "${truncate(name, 40, '…')}" is longer than ${CUSTOM_FIELD_NAME_MAX} characters.`,
        );
      }
      if (value !== null && typeof value !== 'string') {
        throw new ValidationError(`customFields.${name} must be a string or null`);
      }
    }
    return entries as Array<[string, string | null]>;
  }
}

function emailTaken(): AppError {
  return new AppError(ErrorCode.CONFLICT, 'email: another lead in this workspace has this email.');
}

/** The Normalizer's messages name the field for limits ("firstName is too long…"), not for the email. */
function namingField(error: string): string {
  return error.startsWith('Invalid email') || error.startsWith('Email is required') ? `email: ${error}` : error;
}
