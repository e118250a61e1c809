import type { DeployMessage } from '../model/resultTypes';

export interface MessageWhere {
  fileName: string;
  fullName: string;
  componentType: string;
  lineNumber?: number;
  columnNumber?: number;
}

/** A failed component: success false, problemType Error (or Warning), with position when known. */
export function failureMessage(where: MessageWhere, problem: string, createdDate: string, problemType: 'Error' | 'Warning' = 'Error'): DeployMessage {
  return {
    changed: false, columnNumber: where.columnNumber, componentType: where.componentType, created: false, createdDate,
    deleted: false, fileName: where.fileName, fullName: where.fullName, lineNumber: where.lineNumber,
    problem, problemType, success: false,
  };
}

export function successMessage(
  where: MessageWhere, outcome: { id?: string; created: boolean; changed: boolean; deleted?: boolean; warning?: string }, createdDate: string,
): DeployMessage {
  return {
    changed: outcome.changed, componentType: where.componentType, created: outcome.created, createdDate,
    deleted: outcome.deleted ?? false, fileName: where.fileName, fullName: where.fullName, id: outcome.id,
    problem: outcome.warning, problemType: outcome.warning ? 'Warning' : undefined, success: true,
  };
}

/** The entry every successful deploy lists for its manifest; it is not counted as a component. */
export function manifestMessage(manifestPath: string, createdDate: string): DeployMessage {
  return successMessage({ fileName: manifestPath, fullName: 'package.xml', componentType: '' }, { created: false, changed: true }, createdDate);
}
