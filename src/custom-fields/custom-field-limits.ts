/** Longest custom field name, in Unicode code points (the column holds this many characters). */
export const CUSTOM_FIELD_NAME_MAX = 255;
