import { Repository } from './repository';

/** A client certificate an org uploaded for mutual TLS: the chain as uploaded, leaf first. */
export interface StoredMutualAuthCertificate {
  id: string;
  orgId: string;
  chainPem: string;
  /** Hex SHA-256 of the leaf's DER: how a certificate presented in a handshake is found. */
  leafSha256: string;
  createdDate: string;
}

interface Row { id: string; org_id: string; chain_pem: string; leaf_sha256: string; created_date: string }

const toCertificate = (r: Row): StoredMutualAuthCertificate => ({
  id: r.id, orgId: r.org_id, chainPem: r.chain_pem, leafSha256: r.leaf_sha256, createdDate: r.created_date,
});

export class MutualAuthCertificateRepository extends Repository {
  insert(c: StoredMutualAuthCertificate): void {
    this.sql('INSERT INTO mutual_auth_certificates (id, org_id, chain_pem, leaf_sha256, created_date) VALUES (?, ?, ?, ?, ?)')
      .run(c.id, c.orgId, c.chainPem, c.leafSha256, c.createdDate);
  }

  list(orgId: string): StoredMutualAuthCertificate[] {
    return (this.sql('SELECT * FROM mutual_auth_certificates WHERE org_id = ? ORDER BY created_date, id').all(orgId) as Row[]).map(toCertificate);
  }

  /** Every org's: the certificate authorities a handshake may chain to. */
  all(): StoredMutualAuthCertificate[] {
    return (this.sql('SELECT * FROM mutual_auth_certificates ORDER BY id').all() as Row[]).map(toCertificate);
  }

  byLeaf(leafSha256: string): StoredMutualAuthCertificate[] {
    return (this.sql('SELECT * FROM mutual_auth_certificates WHERE leaf_sha256 = ?').all(leafSha256) as Row[]).map(toCertificate);
  }

  delete(orgId: string, id: string): boolean {
    return this.sql('DELETE FROM mutual_auth_certificates WHERE org_id = ? AND id = ?').run(orgId, id).changes > 0;
  }

  /** Every certificate an org uploaded (delete of the org). */
  deleteOrg(orgId: string): void {
    this.sql('DELETE FROM mutual_auth_certificates WHERE org_id = ?').run(orgId);
  }
}
