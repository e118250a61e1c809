import { randomInt } from 'node:crypto';
import { ApiFault, Faults } from './errors';

/**
 * An error nobody planned for (a bug, or a library's own failure) never reaches a client in its own
 * words: JavaScript messages such as "Maximum call stack size exceeded" say nothing useful to a user
 * and may say too much. It is written to stderr with its stack under an id, and the client gets the
 * real service's generic sentence with that id, so the two can be matched.
 */
export function internalError(err: unknown, where: string): ApiFault {
  // The real service's ErrorId shape: `1617473788-104543 (-1478958425)`.
  const id = `${randomInt(1e9, 2 ** 31 - 1)}-${randomInt(1e5, 1e6)} (${randomInt(-(2 ** 31) + 1, 2 ** 31 - 1)})`;
  const detail = err instanceof Error ? err.stack ?? `${err.name}: ${err.message}` : String(err);
  console.error(`localforce: internal error ErrorId ${id} in ${where}\n${detail}`);
  return Faults.unknownException(`An unexpected error occurred. Please include this ErrorId if you contact support: ${id}`);
}

/** A fault as it is: a client's mistake keeps its message, anything else becomes an internal error. */
export function asApiFault(err: unknown, where: string): ApiFault {
  return err instanceof ApiFault ? err : internalError(err, where);
}
