/**
 * How an exercise component reads its children at build time.
 *
 * Astro gives a parent component its children only as rendered HTML. Each part component
 * (Choice, Hint, Solution, ...) therefore wraps its HTML in a pair of comment sentinels carrying
 * its kind and props; the parent renders its slot, splits it into parts and the question (all
 * HTML outside parts), and lays them out itself. Server-side only.
 */

export type PartKind = 'choice' | 'why' | 'hint' | 'solution' | 'explanation' | 'feedback' | 'item' | 'pair';

export interface Part {
  kind: PartKind;
  props: Record<string, unknown>;
  html: string;
}

/** Opening sentinel: the props travel URI-encoded so that no "--" can end the comment early. */
export function openPart(kind: PartKind, props: Record<string, unknown> = {}): string {
  return `<!--ex:${kind} ${encodeURIComponent(JSON.stringify(props))}-->`;
}

export function closePart(kind: PartKind): string {
  return `<!--/ex:${kind}-->`;
}

/** Splits rendered HTML into the parts of the given kinds and the HTML left around them. */
export function splitParts(html: string, kinds: readonly PartKind[]): { rest: string; parts: Part[] } {
  const parts: Part[] = [];
  const pattern = new RegExp(`<!--ex:(${kinds.join('|')}) ([^>]*?)-->([\\s\\S]*?)<!--/ex:\\1-->`, 'g');
  const rest = html.replace(pattern, (_match, kind: PartKind, encoded: string, inner: string) => {
    parts.push({ kind, props: JSON.parse(decodeURIComponent(encoded)) as Record<string, unknown>, html: inner });
    return '';
  });
  return { rest, parts };
}

/** True when the HTML has visible content (not only whitespace and empty comments). */
export function hasContent(html: string): boolean {
  return html.replace(/<!--[\s\S]*?-->/g, '').trim() !== '';
}

/**
 * A label may only hold phrasing content: turn Markdown paragraphs into block-styled spans so a
 * multi-line choice stays valid HTML.
 */
export function paragraphsToSpans(html: string): string {
  return html.replace(/<p(\s[^>]*)?>/g, '<span class="ex-p">').replace(/<\/p>/g, '</span>');
}

/** Plain text of rendered HTML, for option labels; undefined when it holds math or markup we cannot flatten. */
export function plainTextOf(html: string): string | undefined {
  if (/class="katex/.test(html) || /<(img|svg|math)\b/.test(html)) return undefined;
  const text = html
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? undefined : text;
}
