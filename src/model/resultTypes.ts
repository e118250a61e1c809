/*
 * The API's result shapes as TypeScript sees them. Field order on the wire comes from
 * wsdl/metadata.wsdl, not from these declarations; dates are ISO strings.
 */
import type { PartedBytes } from '../soap/partedBytes';

export type DeployStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceling' | 'Canceled';

export interface AsyncResult {
  done: boolean;
  id: string;
  state: 'Queued' | 'InProgress' | 'Completed' | 'Error';
  message?: string;
  statusCode?: string;
}

export interface DeployMessage {
  changed: boolean;
  columnNumber?: number;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  id?: string;
  lineNumber?: number;
  problem?: string;
  problemType?: 'Warning' | 'Error' | 'Info';
  success: boolean;
}

export interface RunTestSuccess {
  id: string;
  methodName: string;
  name: string;
  namespace: string | null;
  seeAllData?: boolean;
  time: number;
}

export interface RunTestFailure {
  id: string;
  message: string;
  methodName: string | null;
  name: string;
  namespace: string | null;
  packageName: string;
  seeAllData?: boolean;
  stackTrace: string | null;
  time: number;
  type: string;
}

export interface CodeCoverageWarning {
  id: string;
  message: string;
  name: string | null;
  namespace: string | null;
}

export interface RunTestsResult {
  codeCoverage: never[];
  codeCoverageWarnings: CodeCoverageWarning[];
  failures: RunTestFailure[];
  flowCoverage: never[];
  flowCoverageWarnings: never[];
  numFailures: number;
  numTestsRun: number;
  successes: RunTestSuccess[];
  totalTime: number;
}

export interface DeployDetails {
  componentFailures: DeployMessage[];
  componentSuccesses: DeployMessage[];
  runTestResult?: RunTestsResult;
}

export interface DeployResult {
  canceledBy?: string;
  canceledByName?: string;
  checkOnly: boolean;
  completedDate?: string;
  createdBy: string;
  createdByName: string;
  createdDate: string;
  details: DeployDetails;
  done: boolean;
  errorMessage?: string;
  errorStatusCode?: string;
  id: string;
  ignoreWarnings: boolean;
  lastModifiedDate?: string;
  numberComponentErrors: number;
  numberComponentsDeployed: number;
  numberComponentsTotal: number;
  numberTestErrors: number;
  numberTestsCompleted: number;
  numberTestsTotal: number;
  rollbackOnError: boolean;
  runTestsEnabled: boolean;
  startDate?: string;
  stateDetail?: string;
  status: DeployStatus;
  success: boolean;
}

export interface DeployOptions {
  allowMissingFiles: boolean;
  autoUpdatePackage: boolean;
  checkOnly: boolean;
  ignoreWarnings: boolean;
  performRetrieve: boolean;
  purgeOnDelete: boolean;
  rollbackOnError: boolean;
  runTests: string[];
  singlePackage: boolean;
  testLevel?: string;
}

export interface FileProperties {
  createdById: string;
  createdByName: string;
  createdDate: string;
  fileName: string;
  fullName: string;
  id: string;
  lastModifiedById: string;
  lastModifiedByName: string;
  lastModifiedDate: string;
  manageableState?: string;
  namespacePrefix?: string;
  type: string;
}

export interface RetrieveMessage {
  fileName: string;
  problem: string;
}

export interface RetrieveResult {
  done: boolean;
  errorMessage?: string;
  errorStatusCode?: string;
  fileProperties: FileProperties[];
  id: string;
  messages: RetrieveMessage[];
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed';
  success: boolean;
  /** Base64 of the zip; kept out of the stored JSON and filled in when answered. */
  /** The retrieved zip; bytes are written as base64 by the codec, in slices. */
  zipFile?: Buffer | PartedBytes | string;
}

export interface ApiError {
  extendedErrorDetails?: never[];
  fields: string[];
  message: string;
  statusCode: string;
}

export interface SaveResult {
  errors: ApiError[];
  fullName: string;
  success: boolean;
}

export interface UpsertResult extends SaveResult {
  created: boolean;
}

export const emptyRunTestResult = (): RunTestsResult => ({
  codeCoverage: [], codeCoverageWarnings: [], failures: [], flowCoverage: [], flowCoverageWarnings: [],
  numFailures: 0, numTestsRun: 0, successes: [], totalTime: 0,
});
