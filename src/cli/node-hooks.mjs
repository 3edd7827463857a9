/** `tsx --import ./src/cli/node-hooks.mjs …`: registers the tfjs-core resolution hook before anything loads TF.js. */
import { register } from 'node:module';

register('./tfjs-esm-resolve.mjs', import.meta.url);
