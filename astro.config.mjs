// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';

/**
 * Astro excludes node-fetch from Vite's dependency pre-bundling, which breaks `astro dev` on
 * pages whose scripts reach TF.js (tfjs-core imports node-fetch behind a platform check).
 * Removing the exclusion lets Vite pre-bundle it; production builds are unaffected.
 * @returns {import('vite').Plugin}
 */
function allowNodeFetchPrebundle() {
  return {
    name: 'course:allow-node-fetch-prebundle',
    config(config) {
      const optimizeDeps = config.optimizeDeps;
      if (optimizeDeps?.exclude) {
        optimizeDeps.exclude = optimizeDeps.exclude.filter((name) => name !== 'node-fetch');
      }
    },
  };
}

export default defineConfig({
  site: 'https://skip-connections.example.org',
  trailingSlash: 'always',
  integrations: [mdx()],
  markdown: {
    remarkPlugins: [remarkMath],
    // KaTeX renders at build time: no KaTeX JavaScript reaches the browser.
    rehypePlugins: [[rehypeKatex, { output: 'htmlAndMathml', strict: 'ignore' }]],
  },
  vite: {
    plugins: [allowNodeFetchPrebundle()],
    worker: { format: 'es' },
  },
});
