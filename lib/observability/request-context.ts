import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  requestId: string;
}

// Shared through globalThis: the custom server and Next's bundled code load separate copies of
// this module, and both must see the same store.
const holder = globalThis as unknown as { __mlpRequestContext?: AsyncLocalStorage<RequestContext> };
export const requestContext = (holder.__mlpRequestContext ??= new AsyncLocalStorage<RequestContext>());

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

export const REQUEST_ID_HEADER = 'x-request-id';
