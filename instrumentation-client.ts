// Runs in the browser before the portal's own code. The pages' Content-Security-Policy allows no
// eval, and zod probes `new Function` to decide whether to compile its parsers — a probe the
// browser reports as a CSP violation even though zod catches it. Without the probe zod parses as
// it always does, only without compiling.
//
// zod keeps its configuration in `globalThis.__zod_globalConfig` (zod/v4/core) and takes the object
// it finds there, so it is configured here without loading zod: importing it for `z.config` put
// 31 kB of gzipped JavaScript into every route's first load, most of which never parse in the
// browser (test/instrumentation-client.test.ts holds zod to this).
const zodGlobal = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
zodGlobal.__zod_globalConfig = Object.assign(zodGlobal.__zod_globalConfig ?? {}, { jitless: true });

export {};
