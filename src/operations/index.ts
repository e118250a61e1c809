import { createMetadata, deleteMetadata, readMetadata, renameMetadata, updateMetadata, upsertMetadata } from './crudOperations';
import { cancelDeploy, checkDeployStatus, deploy, deployRecentValidation } from './deployOperations';
import { describeMetadata, describeValueType, listMetadata } from './describeOperations';
import type { Operation } from './operation';
import { checkRetrieveStatus, retrieve } from './retrieveOperations';

/** Every operation the SOAP endpoint serves, by its request element's name. */
export const OPERATIONS: Record<string, Operation> = {
  deploy, checkDeployStatus, cancelDeploy, deployRecentValidation,
  retrieve, checkRetrieveStatus,
  listMetadata, describeMetadata, describeValueType,
  readMetadata, createMetadata, updateMetadata, upsertMetadata, deleteMetadata, renameMetadata,
};
