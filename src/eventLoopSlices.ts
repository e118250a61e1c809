/**
 * Long work in a request's or a job's path (reading a package, checking it, zipping a retrieve) gives the
 * event loop back every `sliceMs` of work, so that other requests (a status poll, a health check) are
 * answered meanwhile: `const slices = eventLoopSlices(20)`, then `if (slices.due()) await slices.next();`
 * between items. Only a due slice is awaited: an `await` of nothing still costs a turn of the microtask
 * queue, which over the 16,000 components of a large deploy was tens of milliseconds.
 */
export function eventLoopSlices(sliceMs: number): { due(): boolean; next(): Promise<void> } {
  let sliceStart = Date.now();
  return {
    due: () => Date.now() - sliceStart >= sliceMs,
    next: () => new Promise<void>((resolve) => setImmediate(() => {
      sliceStart = Date.now();
      resolve();
    })),
  };
}

/**
 * The event loop's next turn: awaited between the steps of a long job that cannot be sliced themselves
 * (a deploy's commit, the writing of its results), so that two of them never run in one turn while a
 * request waits.
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
