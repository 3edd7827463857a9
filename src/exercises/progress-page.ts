/** The /progress/ page: live table of progress, export, import (merge) and reset with confirmation. */
import { BACKUP_KEY_PREFIX, type ProgressData, type SkippedEntry } from './progress-store';
import { downloadProgress, formatDay, progress } from './progress-instance';

function describeStatus(id: string, data: ProgressData): { status: string; attempts: string } {
  const entry = data.exercises[id];
  if (!entry) return { status: 'Not tried', attempts: '0' };
  const parts = [entry.solved ? `Solved${entry.solvedAt ? ` on ${formatDay(entry.solvedAt)}` : ''}` : 'Not solved yet'];
  if (entry.revealed) parts.push('solution revealed');
  return { status: parts.join(', '), attempts: String(entry.attempts) };
}

function render(data: ProgressData): void {
  let solved = 0;
  let total = 0;
  for (const row of document.querySelectorAll<HTMLElement>('[data-progress-exercise]')) {
    const id = row.dataset.progressExercise ?? '';
    const { status, attempts } = describeStatus(id, data);
    total++;
    if (data.exercises[id]?.solved) solved++;
    (row.querySelector('[data-cell="status"]') as HTMLElement).textContent = status;
    (row.querySelector('[data-cell="attempts"]') as HTMLElement).textContent = attempts;
  }
  let read = 0;
  const chapters = document.querySelectorAll<HTMLElement>('[data-progress-chapter-read]');
  for (const element of chapters) {
    const entry = data.chapters[element.dataset.progressChapterRead ?? ''];
    if (entry?.read) read++;
    element.textContent = entry?.read ? `Read${entry.readAt ? ` (marked on ${formatDay(entry.readAt)})` : ''}.` : 'Not read yet.';
  }
  const totalLine = document.querySelector('[data-progress-total]');
  if (totalLine) {
    totalLine.textContent = `So far: ${read} of ${chapters.length} ${chapters.length === 1 ? 'chapter' : 'chapters'} read, ${solved} of ${total} exercises solved.`;
  }
}

function say(message: string): void {
  const result = document.querySelector('[data-progress-result]');
  if (result) result.textContent = message;
}

function exportProgress(): void {
  downloadProgress();
  say(progress.persistent ? 'Your progress was exported to a file.' : 'Your progress was exported to a file. Keep it: this browser is not saving it.');
}

async function importProgress(input: HTMLInputElement): Promise<void> {
  const file = input.files?.[0];
  if (!file) return;
  if (file.size > 1_000_000) {
    say(`Nothing was imported: “${file.name}” is larger than any progress file (1 MB at most).`);
    input.value = '';
    return;
  }
  const result = progress.importText(await file.text());
  input.value = '';
  if (!result.ok) {
    say(result.message);
    return;
  }
  const { added, updated, unchanged, keptLocal } = result.report;
  const parts = [
    `Imported “${file.name}”: ${added} new ${added === 1 ? 'entry' : 'entries'} added, ${updated} updated, ` +
      `${unchanged} already up to date; ${keptLocal} ${keptLocal === 1 ? 'entry' : 'entries'} only in this browser kept.`,
  ];
  if (result.skipped.length > 0) parts.push(skippedSentence(result.skipped));
  if (result.ignoredFields) parts.push(`Not imported: ${result.ignoredFields}.`);
  say(parts.join(' '));
}

/** "4 entries could not be read and were skipped (2 of them marked solved): “a” (why), …" */
function skippedSentence(skipped: readonly SkippedEntry[]): string {
  const count = skipped.length;
  const solved = skipped.filter((entry) => entry.markedSolved).length;
  const listed = skipped
    .slice(0, 5)
    .map((entry) => `“${entry.id.slice(0, 40)}” (${entry.reason})`)
    .join('; ');
  return (
    `${count} ${count === 1 ? 'entry' : 'entries'} could not be read and ${count === 1 ? 'was' : 'were'} skipped` +
    `${solved > 0 ? ` (${solved} of them marked solved or read)` : ''}: ${listed}${count > 5 ? `; and ${count - 5} more` : ''}.`
  );
}

function listBackups(): void {
  const box = document.querySelector<HTMLElement>('[data-progress-backups]');
  const list = document.querySelector('[data-progress-backup-list]');
  if (!box || !list) return;
  let keys: string[] = [];
  try {
    keys = Object.keys(localStorage).filter((key) => key.startsWith(BACKUP_KEY_PREFIX)).sort();
  } catch {
    return;
  }
  list.replaceChildren();
  for (const key of keys) {
    const raw = localStorage.getItem(key) ?? '';
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([raw], { type: 'application/json' }));
    link.download = `${key.replace(/[^a-z0-9-]+/gi, '-')}.json`;
    link.textContent = `Download the data set aside on ${key.slice(BACKUP_KEY_PREFIX.length)}`;
    item.append(link);
    list.append(item);
  }
  box.hidden = keys.length === 0;
}

function setUpReset(): void {
  const dialog = document.querySelector<HTMLDialogElement>('[data-progress-reset-dialog]');
  const opener = document.querySelector<HTMLButtonElement>('[data-progress-reset]');
  if (!dialog || !opener) return;
  opener.addEventListener('click', () => dialog.showModal());
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'reset') {
      progress.reset();
      say('All progress was reset.');
    } else {
      say('Nothing was reset.');
    }
    dialog.returnValue = '';
    opener.focus();
  });
}

render(progress.data);
progress.subscribe(render);
// The tools are rendered disabled, so nothing looks usable before this script runs.
for (const control of document.querySelectorAll<HTMLButtonElement | HTMLInputElement>('[data-progress-export], [data-progress-import], [data-progress-reset]')) {
  control.disabled = false;
}
document.querySelector('[data-progress-export]')?.addEventListener('click', exportProgress);
const importInput = document.querySelector<HTMLInputElement>('[data-progress-import]');
importInput?.addEventListener('change', () => void importProgress(importInput));
setUpReset();
listBackups();
