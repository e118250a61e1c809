import type { Caller } from '../store/orgs';
import type { Services } from '../services';

export interface OperationContext {
  caller: Caller;
  services: Services;
  apiVersion: number;
  /** AllOrNoneHeader.allOrNone, false when absent (partial save, the default since API 34). */
  allOrNone: boolean;
}

/** One Metadata API operation: typed input from the codec in, a result for the codec out. */
export interface Operation {
  /** Child element names some clients send instead of the WSDL's (jsforce: `id`, `request`). */
  aliases?: Record<string, string>;
  handle(input: Record<string, unknown>, ctx: OperationContext): unknown;
}
