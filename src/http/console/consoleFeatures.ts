/**
 * Actions the console shows only when the server offers them: each is the URL the console calls
 * with the org's bearer session. Certificate and Key Management exports all of an org's certificates
 * and keys to a keystore (`POST {"password", "format"}`, answered by the file) and imports them from
 * one (the file as the body, `?format=…&password=…`): src/http/admin/keystoreRoutes.ts.
 */
export function consoleFeatures(orgId: string): { keystoreExportUrl: string | null; keystoreImportUrl: string | null } {
  return { keystoreExportUrl: `/_localforce/orgs/${orgId}/keystore/export`, keystoreImportUrl: `/_localforce/orgs/${orgId}/keystore/import` };
}
