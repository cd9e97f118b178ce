// The test runner loads --test-global-setup before any --import hook, so tsx is registered here by hand
// and the TypeScript setup is required through it.
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
const require = createRequire(import.meta.url);
const setup = require('./harness/global-setup.ts');

export const globalSetup = setup.globalSetup;
export const globalTeardown = setup.globalTeardown;
