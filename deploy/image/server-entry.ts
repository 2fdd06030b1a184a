/**
 * The image's /app/server.mjs: starts the portal (server.ts, bundled as portal.mjs) the way Next.js'
 * standalone server starts. In the image Next.js reads its configuration from what the build
 * recorded (.next/required-server-files.json, through __NEXT_PRIVATE_STANDALONE_CONFIG), since
 * loading next.config.ts needs the build tools; next.config.ts, bundled as next.config.mjs, is
 * evaluated again here and laid over that record, so what it reads when the portal starts
 * (PORTAL_URL's host for server actions) is read from the running container's environment.
 */
import { readFileSync } from 'node:fs';
import { overlay } from './overlay';

type Config = Record<string, unknown>;

const here = (file: string) => new URL(file, import.meta.url);

const recorded = JSON.parse(readFileSync(here('./.next/required-server-files.json'), 'utf8')) as { config: Config };
const atStart = ((await import(here('./next.config.mjs').href)) as { default: Config }).default;
process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(overlay(recorded.config, atStart));
await import(here('./portal.mjs').href);
