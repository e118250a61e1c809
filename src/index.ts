export { startLocalforce, type LocalforceOptions, type LocalforceServer } from './server';
export { DEFAULT_ORG, type OrgCredentials } from './auth/orgService';
