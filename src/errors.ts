/**
 * The one place where call-level errors are made. Inner layers throw these; only the
 * SOAP codec and the REST layer turn them into a fault or a JSON error.
 */
export class ApiFault extends Error {
  constructor(
    /** The Salesforce exception code, e.g. INVALID_SESSION_ID, or `Client` for malformed requests. */
    readonly code: string,
    message: string,
    /** Whether the code is ours (`sf:`) or a SOAP-level client error (`soapenv:Client`). */
    readonly soapClientError = false,
  ) {
    super(message);
    this.name = 'ApiFault';
  }

  get faultcode(): string {
    return this.soapClientError ? 'soapenv:Client' : `sf:${this.code}`;
  }

  /** The fault string the real service sends: the code, a colon, the message. */
  get faultstring(): string {
    return this.soapClientError ? this.message : `${this.code}: ${this.message}`;
  }
}

export const Faults = {
  invalidSession: () => new ApiFault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session'),
  invalidLogin: () => new ApiFault('INVALID_LOGIN', 'Invalid username, password, security token; or user locked out.'),
  unsupportedApiVersion: () => new ApiFault('UNSUPPORTED_API_VERSION', 'Invalid Api version specified on URL'),
  invalidIdField: (message: string) => new ApiFault('INVALID_ID_FIELD', message),
  invalidOperation: (message: string) => new ApiFault('INVALID_OPERATION', message),
  invalidType: (message: string) => new ApiFault('INVALID_TYPE', message),
  invalidField: (message: string) => new ApiFault('INVALID_FIELD', message),
  duplicateValue: (message: string) => new ApiFault('DUPLICATE_VALUE', message),
  exceededLimit: (message: string) => new ApiFault('EXCEEDED_ID_LIMIT', message),
  insufficientAccess: (message: string) => new ApiFault('INSUFFICIENT_ACCESS', message),
  unknownException: (message: string) => new ApiFault('UNKNOWN_EXCEPTION', message),
  /** A session used on the mutual TLS port without a client certificate its org uploaded. */
  mutualAuthenticationFailed: () => new ApiFault('MUTUAL_AUTHENTICATION_FAILED', 'This session could not be mutually authenticated for use with the API'),
  /** Schema-level problems with the request body itself, reported as the SOAP stack does. */
  malformedRequest: (message: string) => new ApiFault('Client', message, true),
  /** A SOAP message over the size the SOAP stack reads, in its words. */
  soapMessageTooLarge: (limitBytes: number) =>
    new ApiFault('Client', `Maximum size of request reached. Maximum size of request is ${limitBytes} bytes.`, true),
  noSuchOperation: (name: string) =>
    new ApiFault('Client', `No operation available for request {http://soap.sforce.com/2006/04/metadata}${name}`, true),
};
