/**
 * The folder rules of docs/architecture.md, checked on the sources themselves:
 *
 * - engine-no-dom: src/engine never touches the DOM (it runs in workers and in Node).
 * - engine-self-contained: src/engine imports only src/engine and packages (never widgets/,
 *   runtime/, charts/ or page code), so any widget or runtime can sit on top of it.
 * - no-tfjs-in-pages: no file that reaches a page's bundle or its server render (static imports
 *   from .astro and .mdx files, and everything in src/charts) imports TF.js, directly or through
 *   other modules. Workers are entered through `new Worker(new URL(...))`, not an import, so TF.js
 *   stays inside them.
 * - widget-folders-apart: a widget folder imports no other widget folder (the kit is shared), and
 *   the kit imports no widget folder.
 *
 * The checker reads source text (comments removed) and resolves relative, `~/` and root-relative
 * imports, `export … from`, dynamic `import()` and `import.meta.glob` patterns. A negative
 * control feeds it one violation of each rule and checks that each is reported.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';

type Sources = ReadonlyMap<string, string>;

interface Violation {
  rule: 'engine-no-dom' | 'engine-self-contained' | 'no-tfjs-in-pages' | 'widget-folders-apart';
  file: string;
  detail: string;
}

const root = join(import.meta.dirname, '../..');
const SOURCE_EXTENSIONS = ['.ts', '.astro', '.mdx'];

function readSources(): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (directory: string) => {
    for (const entry of readdirSync(join(root, directory), { withFileTypes: true })) {
      const path = posix.join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) sources.set(path, readFileSync(join(root, path), 'utf8'));
    }
  };
  walk('src');
  walk('content');
  return sources;
}

/**
 * Code with comments removed and string and regular-expression literals kept as they are: a
 * glob pattern of widget folders holds a comment opener, and a URL holds two slashes.
 */
function withoutComments(code: string): string {
  let out = '';
  let i = 0;
  // Last significant character: decides whether a "/" starts a regular expression or divides.
  let previous = '';
  while (i < code.length) {
    const char = code[i];
    const next = code[i + 1];
    if (char === '/' && next === '/') {
      while (i < code.length && code[i] !== '\n') i++;
    } else if (char === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2);
      i = end < 0 ? code.length : end + 2;
      out += ' ';
    } else if (char === "'" || char === '"' || char === '`' || (char === '/' && (previous === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(previous) || /\b(return|typeof|case)$/.test(out.trimEnd())))) {
      let j = i + 1;
      let inClass = false;
      while (j < code.length && (code[j] !== char || inClass)) {
        if (code[j] === '\\') j++;
        else if (char === '/' && code[j] === '[') inClass = true;
        else if (char === '/' && code[j] === ']') inClass = false;
        else if (char === '/' && code[j] === '\n') break;
        j++;
      }
      out += code.slice(i, j + 1);
      previous = char;
      i = j + 1;
    } else {
      out += char;
      if (!/\s/.test(char)) previous = char;
      i++;
    }
  }
  return out;
}

/** The module code of a file: all of a .ts file; an .astro file's frontmatter and bundled scripts; an .mdx file's import lines. */
function moduleCode(path: string, text: string): string {
  if (path.endsWith('.mdx')) return text.split('\n').filter((line) => /^\s*(import|export)\s/.test(line)).join('\n');
  if (!path.endsWith('.astro')) return withoutComments(text);
  const frontmatter = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
  // <script is:inline> and data scripts are not bundled, so they import nothing.
  const scripts = [...text.matchAll(/<script(?![^>]*(?:is:inline|type=))[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
  return withoutComments([frontmatter, ...scripts].join('\n'));
}

/** Specifiers of the imports that exist at run time (type-only imports are erased by the compiler). */
function specifiers(code: string): string[] {
  const found: string[] = [];
  for (const match of code.matchAll(/\b(?:import|export)\s+(type\s+)?([\w*{}\s,$]*?)\s*from\s*['"]([^'"]+)['"]/g)) {
    const [, typeOnly, names, specifier] = match;
    const braced = /^\{([\s\S]*)\}$/.exec(names.trim())?.[1];
    const everyNameIsType = braced !== undefined && braced.split(',').every((name) => name.trim() === '' || /^type\s/.test(name.trim()));
    if (!typeOnly && !everyNameIsType) found.push(specifier);
  }
  for (const pattern of [/\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g]) {
    for (const match of code.matchAll(pattern)) found.push(match[1]);
  }
  return found;
}

function globPatterns(code: string): string[] {
  return [...code.matchAll(/import\.meta\.glob(?:<[^>]*>)?\(\s*['"]([^'"]+)['"]/g)].map((match) => match[1]);
}

/** A source-relative path for `~/x`, `/src/x` and `./x`; undefined for a package. */
function resolvePath(from: string, specifier: string): string | undefined {
  const bare = specifier.replace(/\?.*$/, '');
  if (bare.startsWith('~/')) return posix.join('src', bare.slice(2));
  if (bare.startsWith('/')) return posix.normalize(bare.slice(1));
  if (bare.startsWith('.')) return posix.join(posix.dirname(from), bare);
  return undefined;
}

function resolveFile(sources: Sources, path: string): string | undefined {
  return [path, `${path}.ts`, `${path}/index.ts`].find((candidate) => sources.has(candidate));
}

interface ModuleImports {
  /** Source files this file imports. */
  files: string[];
  /** Package specifiers, e.g. '@tensorflow/tfjs-core'. */
  packages: string[];
}

function importsOf(sources: Sources, path: string): ModuleImports {
  const code = moduleCode(path, sources.get(path) ?? '');
  const files: string[] = [];
  const packages: string[] = [];
  for (const specifier of specifiers(code)) {
    const target = resolvePath(path, specifier);
    if (target === undefined) packages.push(specifier);
    else {
      const file = resolveFile(sources, target);
      if (file) files.push(file);
    }
  }
  for (const pattern of globPatterns(code)) {
    const target = resolvePath(path, pattern);
    if (!target) continue;
    const matcher = new RegExp(`^${target.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
    files.push(...[...sources.keys()].filter((file) => matcher.test(file)));
  }
  return { files, packages };
}

const DOM_GLOBALS = /\b(document|window|HTMLElement|customElements|localStorage|sessionStorage|requestAnimationFrame|getComputedStyle|matchMedia)\b/;
const isTfjs = (specifier: string) => specifier.startsWith('@tensorflow/');
/** 'src/widgets/<name>/…' → name (the kit included); undefined elsewhere. */
const widgetFolder = (path: string) => /^src\/widgets\/([^/]+)\//.exec(path)?.[1];

function checkImportRules(sources: Sources): Violation[] {
  const violations: Violation[] = [];
  const imports = new Map([...sources.keys()].map((path) => [path, importsOf(sources, path)]));

  for (const [path, { files, packages }] of imports) {
    if (path.startsWith('src/engine/')) {
      const dom = DOM_GLOBALS.exec(moduleCode(path, sources.get(path) ?? '').replace(/(['"`])(?:(?!\1).)*\1/g, "''"));
      if (dom) violations.push({ rule: 'engine-no-dom', file: path, detail: `uses ${dom[1]}` });
      for (const pkg of packages.filter((p) => p === 'd3' || p.startsWith('d3-'))) violations.push({ rule: 'engine-no-dom', file: path, detail: `imports ${pkg}` });
      for (const file of files.filter((f) => !f.startsWith('src/engine/'))) violations.push({ rule: 'engine-self-contained', file: path, detail: `imports ${file}` });
    }
    const folder = widgetFolder(path);
    if (folder) {
      for (const file of files) {
        const other = widgetFolder(file);
        if (other && other !== folder && other !== 'kit') violations.push({ rule: 'widget-folders-apart', file: path, detail: `imports ${file}` });
      }
    }
  }

  // Everything a page (its server render or its bundled scripts) or a chart reaches by imports.
  const entries = [...sources.keys()].filter((path) => path.endsWith('.astro') || path.endsWith('.mdx') || path.startsWith('src/charts/'));
  const reachedFrom = new Map<string, string>(entries.map((entry) => [entry, entry]));
  const queue = [...entries];
  while (queue.length > 0) {
    const path = queue.shift()!;
    for (const file of imports.get(path)?.files ?? []) {
      if (reachedFrom.has(file)) continue;
      reachedFrom.set(file, reachedFrom.get(path)!);
      queue.push(file);
    }
  }
  for (const [path, entry] of reachedFrom) {
    for (const pkg of imports.get(path)?.packages.filter(isTfjs) ?? []) {
      violations.push({ rule: 'no-tfjs-in-pages', file: path, detail: `imports ${pkg}${entry === path ? '' : `, reached from ${entry}`}` });
    }
  }
  return violations;
}

const describeViolations = (violations: readonly Violation[]) => violations.map((v) => `${v.rule}: ${v.file} ${v.detail}`);

describe('import rules', () => {
  const sources = readSources();

  it('reads the real source tree (engine, runtime, charts, widgets, pages, chapters)', () => {
    for (const path of ['src/engine/trainer.ts', 'src/runtime/worker.ts', 'src/runtime/registry.ts', 'src/charts/line-chart.ts', 'src/widgets/kit/training-widget.ts', 'src/pages/index.astro']) {
      expect(sources.has(path), path).toBe(true);
    }
    // The worker really is where TF.js lives, and the registry really imports experiments:
    // the checker's resolution finds both (else the rules below would pass vacuously).
    expect(importsOf(sources, 'src/runtime/worker.ts').packages).toContain('@tensorflow/tfjs-core');
    expect(importsOf(sources, 'src/runtime/registry.ts').files).toContain('src/widgets/gradient-flow/experiment.ts');
    expect(importsOf(sources, 'src/exercises/widget-checks.ts').files).toContain('src/widgets/gradient-flow/challenges.ts');
  });

  it('holds for every source file', () => {
    expect(describeViolations(checkImportRules(sources))).toEqual([]);
  });

  it('reports a violation of each rule (negative control)', () => {
    const broken = new Map(sources);
    const append = (path: string, code: string) => broken.set(path, `${broken.get(path)}\n${code}\n`);
    append('src/engine/trainer.ts', "import { getExperiment } from '../runtime/registry';");
    append('src/engine/datasets.ts', "import { recordsToCSV } from '~/widgets/kit/export-format';");
    append('src/engine/random.ts', 'export const pageTitle = () => document.title;');
    append('src/charts/format.ts', "import * as tf from '@tensorflow/tfjs-core';");
    // TF.js reached indirectly: a view imports an experiment, which imports the trainer.
    append('src/widgets/degradation/view.ts', "import { degradationExperiment } from './experiment';");
    append('src/widgets/gradient-flow/view.ts', "import { degradationRunSpecs } from '../degradation/experiment';");
    append('src/widgets/kit/record-store.ts', "export { skipName } from '~/widgets/degradation/results';");

    const found = describeViolations(checkImportRules(broken));
    expect(found).toEqual(
      expect.arrayContaining([
        'engine-self-contained: src/engine/trainer.ts imports src/runtime/registry.ts',
        'engine-self-contained: src/engine/datasets.ts imports src/widgets/kit/export-format.ts',
        'engine-no-dom: src/engine/random.ts uses document',
        'no-tfjs-in-pages: src/charts/format.ts imports @tensorflow/tfjs-core',
        'widget-folders-apart: src/widgets/gradient-flow/view.ts imports src/widgets/degradation/experiment.ts',
        'widget-folders-apart: src/widgets/kit/record-store.ts imports src/widgets/degradation/results.ts',
      ]),
    );
    expect(found.some((line) => line.startsWith('no-tfjs-in-pages: src/engine/mlp.ts imports @tensorflow/tfjs-core, reached from'))).toBe(true);
    // Words in comments and strings are not code.
    const commented = new Map(sources);
    commented.set('src/engine/random.ts', `${sources.get('src/engine/random.ts')}\n// document.title, window\nexport const text = 'document';\n`);
    expect(describeViolations(checkImportRules(commented))).toEqual([]);
  });
});
