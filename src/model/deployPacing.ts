/**
 * How long each deploy of an org stays InProgress, for tests of polling clients
 * (src/jobs/deployPacing.ts reads it): not held, held for a number of status polls, or held until
 * released through the admin API.
 */
export type DeployPacing = { hold: 'off' } | { hold: 'polls'; polls: number } | { hold: 'manual' };
