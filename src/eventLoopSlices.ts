/**
 * Long work in a request's or a job's path (reading a package, checking it, zipping a retrieve) gives the
 * event loop back every `sliceMs` of work, so that other requests (a status poll, a health check) are
 * answered meanwhile. `const pause = eventLoopSlices(20)`, then `await pause()` between items: most calls
 * return at once, and one in every slice waits for the loop's next turn.
 */
export function eventLoopSlices(sliceMs: number): () => Promise<void> | undefined {
  let sliceStart = Date.now();
  return () => {
    if (Date.now() - sliceStart < sliceMs) return undefined;
    return new Promise<void>((resolve) => setImmediate(() => {
      sliceStart = Date.now();
      resolve();
    }));
  };
}
