/**
 * A refusal of the OAuth token endpoint, in the real service's words: `error` and `error_description`
 * as it sends them (HTTP 400). jsforce shows `error_description` as the message, and the sf CLI shows
 * it to users.
 */
export class OAuthError extends Error {
  constructor(readonly error: string, readonly description: string) {
    super(description);
    this.name = 'OAuthError';
  }
}

export const OAuthErrors = {
  unsupportedGrantType: () => new OAuthError('unsupported_grant_type', 'grant type not supported'),
  authenticationFailure: () => new OAuthError('invalid_grant', 'authentication failure'),
  /** An unknown consumer key (never registered, or its app deleted since). */
  unknownClient: () => new OAuthError('invalid_client_id', 'client identifier invalid'),
  /** A consumer secret missing or not the app's. */
  badClientCredentials: () => new OAuthError('invalid_client', 'invalid client credentials'),
  /** A JWT that cannot be read or whose signature the app's certificate does not verify. */
  invalidAssertion: () => new OAuthError('invalid_grant', 'invalid assertion'),
  invalidAudience: () => new OAuthError('invalid_grant', 'audience is invalid'),
  /** The JWT's `exp` has passed (the real service's wording for it). */
  expiredAssertion: () => new OAuthError('invalid_grant', 'expired authorization code'),
  /** The JWT's `sub` is no user of the app's org. */
  notApproved: () => new OAuthError('invalid_grant', "user hasn't approved this consumer"),
  /**
   * The app's certificate has expired on the org's clock. The real service rejects this too; its
   * wording is not public, so this one says what to do.
   */
  certificateExpired: (name: string, notAfter: Date) =>
    new OAuthError('invalid_grant', `the certificate of connected app ${name} expired on ${notAfter.toISOString()}: upload a new one to the app`),
  certificateNotYetValid: (name: string, notBefore: Date) =>
    new OAuthError('invalid_grant', `the certificate of connected app ${name} is not valid until ${notBefore.toISOString()}`),
  /** An authorization code unknown, used already, too old, or sent for another client or callback. */
  invalidAuthorizationCode: () => new OAuthError('invalid_grant', 'invalid authorization code'),
  expiredRefreshToken: () => new OAuthError('invalid_grant', 'expired access/refresh token'),
  missingParameter: (name: string) => new OAuthError('invalid_request', `${name} is required`),
};
