import { z } from 'zod';

// Runs in the browser before the portal's own code. The pages' Content-Security-Policy allows no
// eval, and zod probes `new Function` to decide whether to compile its parsers — a probe the
// browser reports as a CSP violation even though zod catches it. Without the probe zod parses as
// it always does, only without compiling.
z.config({ jitless: true });
