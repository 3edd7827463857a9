/**
 * On every page: fills the sidebar and course-map placeholders (`data-progress-chapter`) with the
 * reader's progress, marks a chapter read at its end marker, and shows a notice when progress
 * cannot be read or kept. Small on purpose: it ships on every page.
 */
import type { ProgressManifest } from './manifest';
import type { ProgressData, ProgressNotice } from './progress-store';
import { downloadProgress, formatDay, progress } from './progress-instance';

function readManifest(): ProgressManifest {
  const element = document.getElementById('skipcourse-progress-manifest');
  try {
    return element?.textContent ? (JSON.parse(element.textContent) as ProgressManifest) : {};
  } catch {
    return {};
  }
}

const manifest = readManifest();

/** "read · 2/5 solved", "2/5 solved", "read", or "" for an untouched chapter without exercises. */
export function chapterSummary(slug: string, data: ProgressData): string {
  const parts: string[] = [];
  if (data.chapters[slug]?.read) parts.push('read');
  const exercises = manifest[slug]?.exercises ?? [];
  if (exercises.length > 0) {
    const solved = exercises.filter((id) => data.exercises[id]?.solved).length;
    parts.push(`${solved}/${exercises.length} solved`);
  }
  return parts.join(' · ');
}

function fillPlaceholders(data: ProgressData): void {
  for (const element of document.querySelectorAll<HTMLElement>('[data-progress-chapter]')) {
    const slug = element.dataset.progressChapter ?? '';
    const text = chapterSummary(slug, data);
    element.textContent = text;
    element.dataset.progressRead = String(Boolean(data.chapters[slug]?.read));
    element.title = text ? `Your progress: ${text}` : '';
  }
  for (const end of document.querySelectorAll<HTMLElement>('[data-chapter-end]')) {
    const entry = data.chapters[end.dataset.chapterEnd ?? ''];
    const status = end.querySelector('[data-chapter-read-status]');
    const button = end.querySelector<HTMLButtonElement>('[data-mark-read]');
    if (entry?.read) {
      if (status) status.textContent = `You have read this chapter${entry.readAt ? ` (marked on ${formatDay(entry.readAt)})` : ''}.`;
      if (button) button.hidden = true;
    } else if (button) {
      button.hidden = false;
    }
  }
}

function noticeText(notice: ProgressNotice): string {
  if (notice.kind === 'not-kept') {
    return notice.keptForTab
      ? `Your progress is not saved in this browser: ${notice.detail}. It is kept in this tab, on every page of the course, until you close the tab; download it to keep a copy.`
      : `Your progress is not saved in this browser: ${notice.detail}. It lasts only while this page is open; download it to keep a copy.`;
  }
  const kept = notice.backupKey
    ? `It was set aside, not deleted: it is kept in this browser under “${notice.backupKey}”.`
    : 'It was left untouched.';
  return `Some saved progress could not be read (${notice.detail}). ${kept}`;
}

let shownNotice = '';

/** Shows the store's notices; again whenever they change (e.g. storage fills up mid-visit). */
function showNotices(): void {
  const box = document.querySelector<HTMLElement>('[data-progress-notice]');
  const text = box?.querySelector('[data-progress-notice-text]');
  if (!box || !text) return;
  const message = progress.notices.map(noticeText).join(' ');
  if (message === shownNotice) return;
  shownNotice = message;
  text.textContent = message;
  box.hidden = message === '';
  const download = box.querySelector<HTMLButtonElement>('[data-progress-notice-export]');
  if (download) download.hidden = progress.persistent;
}

function setUpNotice(): void {
  const box = document.querySelector<HTMLElement>('[data-progress-notice]');
  box?.querySelector('[data-progress-notice-export]')?.addEventListener('click', downloadProgress);
  box?.querySelector('[data-progress-notice-dismiss]')?.addEventListener('click', () => {
    box.hidden = true;
    // Focus would otherwise be lost with the hidden button.
    document.getElementById('main-content')?.focus();
  });
}

function watchChapterEnds(): void {
  for (const end of document.querySelectorAll<HTMLElement>('[data-chapter-end]')) {
    const slug = end.dataset.chapterEnd ?? '';
    const button = end.querySelector<HTMLButtonElement>('[data-mark-read]');
    if (button) button.disabled = false;
    button?.addEventListener('click', () => {
      progress.markChapterRead(slug);
      end.querySelector<HTMLElement>('[data-chapter-read-status]')?.focus();
    });
    if (!('IntersectionObserver' in window)) continue;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        progress.markChapterRead(slug);
        observer.disconnect();
      }
    });
    observer.observe(end);
  }
}

fillPlaceholders(progress.data);
progress.subscribe((data) => {
  fillPlaceholders(data);
  showNotices();
});
setUpNotice();
showNotices();
watchChapterEnds();
