import { parseManifestVersion } from '../apiVersions';
import { METADATA_NS } from '../soap/wsdlSchema';
import { escapeXml } from '../soap/xmlWriter';
import { parseMetadataXml, type XmlProblem } from './metadataXml';

/** package.xml or a destructiveChanges*.xml, read against the WSDL's Package type. */
export interface Manifest {
  /** The server-side package it deploys into (`<fullName>`); absent for the unpackaged package. */
  fullName?: string;
  version?: number;
  types: { name: string; members: string[] }[];
}

export type ManifestRead = { ok: true; manifest: Manifest } | { ok: false; error: XmlProblem };

/**
 * `requireVersion` is true for package.xml; destructive manifests may leave it out. Read leniently: its elements in
 * any order, and those the Package type does not have passed over. Manifests written by packaging orgs carry
 * more (SalesforceLabs/EnhancedLightningGrid's lists `<auraComponents>`), hand-written ones put `<version>` first,
 * and no capture shows a real org refusing either.
 */
export function parseManifest(text: string, requireVersion: boolean): ManifestRead {
  const parsed = parseMetadataXml(text, 'Package', [], { lenient: true });
  if (!parsed.ok) return parsed;
  const value = parsed.value as { fullName?: string; version?: string; types?: { name?: string; members?: string[] }[] };
  const at1 = { lineNumber: 1, columnNumber: 1 };
  let version: number | undefined;
  const versionText = value.version?.trim();
  if (!versionText) {
    if (requireVersion) return { ok: false, error: { problem: 'No version specified', ...at1 } };
  } else {
    version = parseManifestVersion(versionText);
    if (version === undefined) return { ok: false, error: { problem: `Invalid version specified:${versionText}`, ...at1 } };
  }
  const types = (value.types ?? []).map((t) => ({ name: (t.name ?? '').trim(), members: (t.members ?? []).map((m) => m.trim()) }));
  return { ok: true, manifest: { fullName: value.fullName?.trim() || undefined, version, types } };
}

/** Writes a manifest as package.xml for a retrieve. */
export function writeManifest(manifest: Manifest): string {
  const types = manifest.types
    .map((t) => `    <types>\n${t.members.map((m) => `        <members>${escapeXml(m)}</members>\n`).join('')}        <name>${escapeXml(t.name)}</name>\n    </types>\n`)
    .join('');
  const version = manifest.version !== undefined ? `    <version>${manifest.version.toFixed(1)}</version>\n` : '';
  const fullName = manifest.fullName ? `    <fullName>${escapeXml(manifest.fullName)}</fullName>\n` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="${METADATA_NS}">\n${fullName}${types}${version}</Package>\n`;
}
