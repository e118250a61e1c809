/** The profiles a Localforce user can have. */
export const PROFILES = ['System Administrator', 'Standard User'] as const;
export type Profile = (typeof PROFILES)[number];

/**
 * System permissions Localforce knows, by API name, with the labels Setup shows. Only those that
 * change what Localforce does are here: who is told of expiring certificates.
 */
export const PERMISSIONS: Readonly<Record<string, string>> = {
  ReceiveCertificateExpirationNotifications: 'Receive Certificate Expiration Notifications',
  ModifyAllData: 'Modify All Data',
  ViewSetup: 'View Setup and Configuration',
};

const squash = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

/** A profile by its name, in any case; undefined when there is no such profile. */
export function profileNamed(name: string): Profile | undefined {
  return PROFILES.find((p) => squash(p) === squash(name));
}

/** A permission's API name from its API name or its label (singular "Notification" too), in any case. */
export function permissionNamed(name: string): string | undefined {
  const wanted = squash(name).replace(/notification$/, 'notifications');
  return Object.entries(PERMISSIONS).find(([api, label]) => squash(api) === wanted || squash(label) === wanted)?.[0];
}
