/** The standard lead fields, in the order the API renders them. */
export const LEAD_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'companyName',
  'jobTitle',
  'phone',
  'linkedinUrl',
  'website',
  'city',
  'state',
  'country',
  'timezone',
  'notes',
] as const;

export type LeadField = (typeof LEAD_FIELDS)[number];

export type LeadFieldValues = Partial<Record<LeadField, string>>;

export function isLeadField(value: string): value is LeadField {
  return (LEAD_FIELDS as readonly string[]).includes(value);
}
