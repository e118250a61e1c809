/**
 * Why a SAML login into an org failed, in the words the real service uses, so that a developer who
 * meets the same failure on a real org recognises it.
 *
 * The names are the statuses of a SAML login in the login history, as the help's "SAML Login Errors"
 * page lists them (https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.sso_saml_validation_errors.htm):
 * Assertion Expired, Assertion Invalid, Audience Invalid, Configuration Error/Perm Disabled, Issuer
 * Mismatched, Recipient Mismatched, Signature Invalid. An unknown subject is worded as the SAML
 * Assertion Validator reports it ("Unable to map the subject to a Salesforce.com user", its result
 * as quoted in a Salesforce developer forum thread, dfc-org-production.my.site.com, id 9062I000000XxfMQAS).
 * "Unable to parse the response" has no source: the real service shows no text of its own for a body
 * that is not a SAML response at all.
 */
export const SamlFailure = {
  signature: 'Signature Invalid',
  issuer: 'Issuer Mismatched',
  audience: 'Audience Invalid',
  expired: 'Assertion Expired',
  /** Something else is wrong with the assertion: not yet valid, no subject, a failure status, encrypted. */
  invalid: 'Assertion Invalid',
  recipient: 'Recipient Mismatched',
  unmappedSubject: 'Unable to map the subject to a Salesforce.com user',
  unparseable: 'Unable to parse the response',
  /** The org's own setting cannot be used (no SamlSsoConfig, an unreadable certificate, SAML 1.1). */
  configuration: 'Configuration Error/Perm Disabled',
} as const;

export type SamlFailureStatus = (typeof SamlFailure)[keyof typeof SamlFailure];

/** A refused login: the status of the login history, and what exactly was wrong, for the person testing. */
export class SamlLoginError extends Error {
  constructor(readonly status: SamlFailureStatus, readonly detail: string, readonly issuer?: string) {
    super(`${status}: ${detail}`);
  }
}
