/**
 * Actions the console shows only when the server offers them. Each is the URL the console calls
 * (with the org's bearer session), or null while Localforce has no such endpoint.
 *
 * KEYSTORE: Certificate and Key Management exports all of an org's certificates and keys to a Java
 * keystore and imports them from one. When those endpoints exist, set their URLs here; the
 * certificate list then shows "Export to Keystore" (a POST of `{"password"}` answered by the JKS
 * file) and "Import from Keystore" (a multipart POST of `file` and `password`), see console/pages/certificates.js.
 */
export function consoleFeatures(): { keystoreExportUrl: string | null; keystoreImportUrl: string | null } {
  return { keystoreExportUrl: null, keystoreImportUrl: null };
}
