/** Longest custom field name, in Unicode code points (the column holds this many characters). */
export const CUSTOM_FIELD_NAME_MAX = 255;

/** Custom field names match case-insensitively: "Industry" and "industry" are one field (trimmed, NFC). */
export function customFieldKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/** Most UTF-8 bytes of names and values one lead's custom fields may hold: a lead must fit one SQL statement. */
export const CUSTOM_FIELDS_MAX_BYTES = 4 * 1024 * 1024;

/** Whether a lead's custom fields stay within CUSTOM_FIELDS_MAX_BYTES. */
export function customFieldsFit(fields: Record<string, string>): boolean {
  let units = 0;
  for (const name in fields) units += name.length + fields[name].length;
  // A UTF-16 unit is at most 3 UTF-8 bytes: most leads are decided without counting bytes.
  if (units * 3 <= CUSTOM_FIELDS_MAX_BYTES) return true;
  let bytes = 0;
  for (const name in fields) bytes += Buffer.byteLength(name) + Buffer.byteLength(fields[name]);
  return bytes <= CUSTOM_FIELDS_MAX_BYTES;
}
