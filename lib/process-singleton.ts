/**
 * Process-wide state, made once per process. Next.js bundles each route with its own copy of a
 * module and the custom server loads yet another, so a module-level variable would exist several
 * times; `globalThis` is the one place every copy shares.
 */
export function processSingleton<T>(key: string, make: () => T): T {
  const holder = globalThis as typeof globalThis & Record<symbol, unknown>;
  const slot = Symbol.for(`ml-platform-portal.${key}`);
  if (!(slot in holder)) holder[slot] = make();
  return holder[slot] as T;
}
