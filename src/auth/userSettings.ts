/** The settings a real org keeps per user; every Localforce user has the same ones. */
export const USER_SETTINGS = {
  profileId: '00e000000000001AAA',
  language: 'en_US',
  locale: 'en_US',
  timeZone: 'America/Los_Angeles',
  utcOffsetMs: -8 * 3600 * 1000,
} as const;

/** First and last name of a full name; a single word is the last name, as on a User record. */
export function nameParts(fullName: string): { firstName: string | null; lastName: string } {
  const [first, ...rest] = fullName.split(' ');
  return rest.length ? { firstName: first!, lastName: rest.join(' ') } : { firstName: null, lastName: fullName };
}
