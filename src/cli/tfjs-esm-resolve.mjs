/**
 * Node module hook: lets Node load tfjs-core's ES-module files, which import directories and
 * files without extensions (`./gradients`, `./ops/ops`) as bundlers allow and Node does not. The
 * graph model needs one of them, `@tensorflow/tfjs-core/dist/register_all_gradients` (autodiff's
 * gradient functions are not in the Node build). Only failed resolutions from inside
 * @tensorflow packages are retried, with `.js` and then `/index.js`.
 */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fromTfjs = context.parentURL?.includes('/node_modules/@tensorflow/');
    if (!fromTfjs || !specifier.startsWith('.')) throw error;
    for (const candidate of [`${specifier}.js`, `${specifier}/index.js`]) {
      try {
        return await nextResolve(candidate, context);
      } catch {
        // Try the next form.
      }
    }
    throw error;
  }
}
