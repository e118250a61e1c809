// Kept apart from pem.ts so the parsers can emit PEM without an import cycle through classifyContent.

/** A PEM block: base64 wrapped at 64 columns, LF line endings, one trailing newline. */
export function formatPemBlock(label: string, base64: string): string {
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function toPem(label: string, der: Buffer): string {
  return formatPemBlock(label, der.toString('base64'));
}
