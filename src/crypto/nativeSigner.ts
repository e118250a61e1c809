import { sign } from 'crypto';
import * as forge from 'node-forge';
import { toDer } from './forgeInternals';

// forge can build a TBSCertificate or CertificationRequestInfo but only signs with its own
// pure-JavaScript RSA (47 ms per 2048-bit signature, 260 ms at 4096, blocking the event loop),
// and no library joins a forge-built structure to a native signature. So we encode the
// to-be-signed part, sign it with node's crypto (0.4 ms, off the main thread) and assemble the
// signed envelope ourselves. X.509 and PKCS#10 share that envelope:
//   SEQUENCE { toBeSigned, AlgorithmIdentifier, BIT STRING signature }

const { Class, Type } = forge.asn1;

function signSha256(data: Buffer, privateKeyPem: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    sign('sha256', data, privateKeyPem, (err, signature) => (err ? reject(err) : resolve(signature)));
  });
}

/** AlgorithmIdentifier for sha256WithRSAEncryption; RFC 4055 requires the explicit NULL parameters. */
function sha256WithRsaAlgorithm(): forge.asn1.Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [
    forge.asn1.create(Class.UNIVERSAL, Type.OID, false, forge.asn1.oidToDer(forge.pki.oids.sha256WithRSAEncryption).getBytes()),
    forge.asn1.create(Class.UNIVERSAL, Type.NULL, false, ''),
  ]);
}

/** Signs `toBeSigned` (SHA-256 with RSA, PKCS#1 v1.5) and returns the DER of the signed envelope. */
export async function signEnvelope(toBeSigned: forge.asn1.Asn1, privateKeyPem: string): Promise<Buffer> {
  const tbsDer = toDer(toBeSigned);
  const signature = await signSha256(tbsDer, privateKeyPem);
  const envelope = forge.asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [
    toBeSigned, // forge's DER encoding is deterministic: these are the bytes just signed
    sha256WithRsaAlgorithm(),
    // Leading 0x00: no unused bits in the last octet.
    forge.asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, `\u0000${signature.toString('binary')}`),
  ]);
  return toDer(envelope);
}

/** The AlgorithmIdentifier OID builders must also put inside the to-be-signed part. */
export const SIGNATURE_ALGORITHM_OID = forge.pki.oids.sha256WithRSAEncryption;
