/**
 * The first API version of types that appeared after 31.0, the oldest version Localforce answers.
 * The registry the type table comes from has no versions, so these are taken from each type's page
 * in the Metadata API Developer Guide; a type not listed here is known from 31.0 on.
 */
export const FIRST_API_VERSION: Readonly<Record<string, number>> = {
  AuraDefinitionBundle: 32,
  Certificate: 36,
  ContentAsset: 38,
  CspTrustedSite: 39,
  Bot: 43,
  LightningComponentBundle: 45,
  PermissionSetGroup: 45,
  PlatformEventChannel: 45,
  ExperienceBundle: 46,
  Prompt: 46,
  CustomNotificationType: 46,
  LightningMessageChannel: 47,
  RestrictionRule: 49,
  DigitalExperienceBundle: 56,
  ExternalCredential: 56,
  GenAiPromptTemplate: 60,
  GenAiFunction: 60,
  GenAiPlugin: 60,
  GenAiPlanner: 60,
};
