/** Longest custom field name, in Unicode code points (the column holds this many characters). */
export const CUSTOM_FIELD_NAME_MAX = 255;

/** Custom field names match case-insensitively: "Industry" and "industry" are one field (trimmed, NFC). */
export function customFieldKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}
