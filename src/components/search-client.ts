/**
 * Client side of the search dialog. Pagefind's API (/pagefind/pagefind.js) exists only in a
 * production build (postbuild runs `pagefind --site dist`), so it is imported lazily from a URL
 * computed at run time, which Vite leaves alone instead of trying to bundle it.
 */

interface PagefindSubResult {
  title: string;
  url: string;
  excerpt: string;
}

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: { title?: string };
  sub_results: PagefindSubResult[];
}

interface PagefindResult {
  id: string;
  data(): Promise<PagefindResultData>;
}

interface PagefindSearchResponse {
  results: PagefindResult[];
}

interface PagefindApi {
  init(): Promise<void>;
  search(query: string): Promise<PagefindSearchResponse | null>;
  debouncedSearch(query: string, options?: object, timeout?: number): Promise<PagefindSearchResponse | null>;
}

const MAX_RESULTS = 8;
const MAX_SUB_RESULTS = 3;

let pagefindPromise: Promise<PagefindApi | null> | undefined;

function loadPagefind(): Promise<PagefindApi | null> {
  if (import.meta.env.DEV) {
    // `astro dev` has no index; fetching it would only produce a 404.
    return Promise.resolve(null);
  }
  pagefindPromise ??= (async () => {
    const url = new URL('/pagefind/pagefind.js', window.location.origin).href;
    try {
      const pagefind = (await import(/* @vite-ignore */ url)) as PagefindApi;
      await pagefind.init();
      return pagefind;
    } catch {
      return null;
    }
  })();
  return pagefindPromise;
}

/** Pagefind excerpts contain only text and <mark> elements; keep exactly that, safely. */
function renderExcerpt(container: HTMLElement, excerpt: string): void {
  const parts = excerpt.split(/(<mark>.*?<\/mark>)/g);
  for (const part of parts) {
    const marked = /^<mark>(.*)<\/mark>$/.exec(part);
    const text = (marked ? marked[1] : part).replace(/<[^>]*>/g, '');
    const decoded = new DOMParser().parseFromString(text, 'text/html').documentElement.textContent ?? '';
    if (marked) {
      const mark = document.createElement('mark');
      mark.textContent = decoded;
      container.append(mark);
    } else {
      container.append(decoded);
    }
  }
}

function pageTitle(data: PagefindResultData): string {
  return data.meta.title?.trim() || data.url;
}

function renderResult(data: PagefindResultData): HTMLLIElement {
  const item = document.createElement('li');
  item.className = 'search-result';

  const title = document.createElement('a');
  title.className = 'search-result__title';
  title.href = data.url;
  title.textContent = pageTitle(data);
  item.append(title);

  // Sections of the page whose text matched, each linking to its heading's anchor.
  const sections = data.sub_results.filter((sub) => sub.url !== data.url && sub.url.includes('#')).slice(0, MAX_SUB_RESULTS);
  if (sections.length === 0) {
    const excerpt = document.createElement('p');
    excerpt.className = 'search-result__excerpt';
    renderExcerpt(excerpt, data.excerpt);
    item.append(excerpt);
    return item;
  }
  const list = document.createElement('ul');
  list.className = 'search-result__sections';
  for (const section of sections) {
    const entry = document.createElement('li');
    const link = document.createElement('a');
    link.href = section.url;
    link.textContent = section.title;
    const excerpt = document.createElement('p');
    excerpt.className = 'search-result__excerpt';
    renderExcerpt(excerpt, section.excerpt);
    entry.append(link, excerpt);
    list.append(entry);
  }
  item.append(list);
  return item;
}

export function setUpSearch(): void {
  const dialog = document.querySelector<HTMLDialogElement>('[data-search-dialog]');
  const input = document.querySelector<HTMLInputElement>('[data-search-input]');
  const status = document.querySelector<HTMLElement>('[data-search-status]');
  const results = document.querySelector<HTMLOListElement>('[data-search-results]');
  const form = document.querySelector<HTMLFormElement>('[data-search-form]');
  if (!dialog || !input || !status || !results || !form) return;

  let latestQuery = '';

  const open = () => {
    if (dialog.open) return;
    dialog.showModal();
    input.focus();
    input.select();
    void loadPagefind().then((pagefind) => {
      if (!pagefind) {
        status.textContent = import.meta.env.DEV
          ? 'Search works on the built site: run `npm run build` (which also builds the search index), then `npm run preview`.'
          : 'The search index is missing from this copy of the site. Build it with `npm run build`.';
      }
    });
  };

  const runSearch = async (query: string) => {
    latestQuery = query;
    const pagefind = await loadPagefind();
    if (!pagefind) return;
    if (query.trim() === '') {
      results.replaceChildren();
      status.textContent = 'Type a word or two, for example “chain rule”.';
      return;
    }
    status.textContent = 'Searching…';
    const response = await pagefind.debouncedSearch(query, {}, 150);
    // A newer keystroke superseded this search.
    if (response === null || query !== latestQuery) return;
    const top = await Promise.all(response.results.slice(0, MAX_RESULTS).map((result) => result.data()));
    if (query !== latestQuery) return;
    results.replaceChildren(...top.map(renderResult));
    const count = response.results.length;
    status.textContent =
      count === 0
        ? `No pages match “${query}”.`
        : `${count} ${count === 1 ? 'page matches' : 'pages match'} “${query}”${count > MAX_RESULTS ? `; showing the best ${MAX_RESULTS}` : ''}.`;
  };

  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-search-open]')) {
    button.addEventListener('click', open);
  }
  document.querySelector('[data-search-close]')?.addEventListener('click', () => dialog.close());
  // A click on the backdrop (outside the dialog's box) closes it.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  input.addEventListener('input', () => void runSearch(input.value));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void runSearch(input.value);
  });
  // Following a result to another part of the same page leaves the dialog open otherwise.
  results.addEventListener('click', (event) => {
    if ((event.target as Element | null)?.closest('a')) dialog.close();
  });

  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement | null;
    const typing =
      target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || target?.isContentEditable === true;
    const isShortcut = (event.key === 'k' || event.key === 'K') && (event.ctrlKey || event.metaKey);
    if (isShortcut || (event.key === '/' && !typing && !event.altKey && !event.ctrlKey && !event.metaKey)) {
      event.preventDefault();
      open();
    }
  });
}
