/**
 * The reader's progress: the /progress/ page (export, import with merge, reset with a confirmation),
 * two tabs kept in sync, and the notices for unreadable or unavailable storage.
 */
import { readFile } from 'node:fs/promises';
import { test, expect, type Page } from '@playwright/test';

const CHAPTER = '/lessons/backprop/';
const KEY = 'skipcourse:progress';

test.setTimeout(120_000);

async function solveOutputWeight(page: Page): Promise<void> {
  const region = page.getByRole('region', { name: 'The gradient of an output weight' });
  await expect(region.getByRole('button', { name: 'Check' })).toBeEnabled();
  const input = region.getByRole('textbox', { name: 'Your answer' });
  await input.fill('-0.38');
  await input.press('Enter');
  await expect(region.locator('[data-ex-feedback]')).toContainText('Correct.');
}

function exerciseRow(page: Page, title: string) {
  return page.getByRole('row', { name: new RegExp(title) });
}

test('export, reset with confirmation, import (merging) and reload on /progress/', async ({ page }) => {
  await page.goto(CHAPTER);
  await solveOutputWeight(page);

  await page.goto('/progress/');
  const row = exerciseRow(page, 'The gradient of an output weight');
  await expect(row.getByRole('cell').nth(1)).toHaveText(/^Solved on /);
  await expect(row.getByRole('cell').nth(2)).toHaveText('1');
  await expect(page.getByText(/So far: 0 of \d+ chapters? read, 1 of \d+ exercises solved\./)).toBeVisible();

  // Export to a file.
  const exportButton = page.getByRole('button', { name: 'Export progress to a file' });
  await expect(exportButton).toBeEnabled();
  const downloadPromise = page.waitForEvent('download');
  await exportButton.press('Enter');
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^skipcourse-progress-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
  expect(exported.version).toBe(1);
  expect(exported.exercises['backprop-grad-w5']).toMatchObject({ attempts: 1, solved: true, revealed: false });

  // Reset needs a confirmation: cancelling keeps everything.
  const resetButton = page.getByRole('button', { name: 'Reset all progress…' });
  await resetButton.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Reset all progress?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Nothing was reset.')).toBeVisible();
  await expect(row.getByRole('cell').nth(1)).toHaveText(/^Solved on /);

  await resetButton.press('Enter');
  await dialog.getByRole('button', { name: 'Reset everything' }).press('Enter');
  await expect(page.getByText('All progress was reset.')).toBeVisible();
  await expect(row.getByRole('cell').nth(1)).toHaveText('Not tried');

  // Something new after the reset, then import the file: both are kept.
  await page.goto(CHAPTER);
  const markRead = page.getByRole('button', { name: 'Mark as read' });
  await expect(markRead).toBeEnabled();
  await markRead.press('Enter');
  await expect(page.getByText(/You have read this chapter/)).toBeVisible();
  await page.goto('/progress/');
  await expect(page.getByLabel('Import a progress file (JSON)')).toBeEnabled();
  await page.getByLabel('Import a progress file (JSON)').setInputFiles((await download.path())!);
  await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toContainText('1 new entry added, 0 updated, 0 already up to date; 1 entry only in this browser kept.');
  await expect(row.getByRole('cell').nth(1)).toHaveText(/^Solved on /);
  await expect(page.getByText(/So far: 1 of \d+ chapters? read, 1 of \d+ exercises solved\./)).toBeVisible();

  // A file that is not progress changes nothing and says why.
  await page.getByLabel('Import a progress file (JSON)').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"todo": []}') });
  await expect(page.getByText(/Nothing was imported: the saved data is not this course/)).toBeVisible();

  await page.reload();
  await expect(exerciseRow(page, 'The gradient of an output weight').getByRole('cell').nth(1)).toHaveText(/^Solved on /);
  await expect(page.getByText(/So far: 1 of \d+ chapters? read, 1 of \d+ exercises solved\./)).toBeVisible();
});

test('two tabs stay in sync', async ({ context }) => {
  const chapterTab = await context.newPage();
  const progressTab = await context.newPage();
  await chapterTab.goto(CHAPTER);
  await progressTab.goto('/progress/');
  const otherChapterTab = await context.newPage();
  await otherChapterTab.goto(CHAPTER);
  const badge = otherChapterTab.getByRole('navigation', { name: 'Chapters' }).locator('[data-progress-chapter="backprop"]');
  await expect(badge).toHaveText(/^0\/\d+ solved$/);

  await solveOutputWeight(chapterTab);
  await expect(exerciseRow(progressTab, 'The gradient of an output weight').getByRole('cell').nth(1)).toHaveText(/^Solved on /);
  await expect(badge).toHaveText(/^1\/\d+ solved$/);
  await expect(
    otherChapterTab.getByRole('region', { name: 'The gradient of an output weight' }).getByText(/Your progress: Solved on/),
  ).toBeVisible();
});

test('corrupt saved progress is set aside with a notice, not lost', async ({ page }) => {
  await page.addInitScript((key) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem(key, '{"version": 1, "exercises": {oops');
      sessionStorage.setItem('seeded', '1');
    }
  }, KEY);
  await page.goto(CHAPTER);
  const notice = page.getByRole('status').filter({ hasText: 'could not be read' });
  await expect(notice).toContainText('kept in this browser under “skipcourse:progress:backup:');
  const backups = await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('skipcourse:progress:backup:')).map((key) => localStorage.getItem(key)));
  expect(backups).toEqual(['{"version": 1, "exercises": {oops']);

  // Progress works from a clean start, and the set-aside data is offered on /progress/.
  await notice.getByRole('button', { name: 'Dismiss' }).press('Enter');
  await expect(notice).toBeHidden();
  await solveOutputWeight(page);
  await page.goto('/progress/');
  await expect(page.getByRole('link', { name: /Download the data set aside on/ })).toBeVisible();
  await expect(page.getByText(/1 of \d+ exercises solved/)).toBeVisible();
});

test('newer-version progress is set aside, not overwritten', async ({ page }) => {
  const newer = JSON.stringify({ version: 99, exercises: {}, chapters: {}, somethingNew: true });
  await page.addInitScript(([key, value]) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem(key, value);
      sessionStorage.setItem('seeded', '1');
    }
  }, [KEY, newer] as const);
  await page.goto(CHAPTER);
  await expect(page.getByRole('status').filter({ hasText: 'newer version of the course' })).toBeVisible();
  const backups = await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('skipcourse:progress:backup:')).map((key) => localStorage.getItem(key)));
  expect(backups).toEqual([newer]);
});

test('without local storage, progress is kept for the tab across pages and the page says it is not saved', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  });
  await page.goto(CHAPTER);
  const notice = page.getByRole('status').filter({ hasText: 'not saved in this browser' });
  await expect(notice).toContainText('kept in this tab');
  await solveOutputWeight(page);
  const badge = page.getByRole('navigation', { name: 'Chapters' }).locator('[data-progress-chapter="backprop"]');
  await expect(badge).toHaveText(/^1\/\d+ solved$/);
  // Another page of the same visit still has it, so the progress page can export it.
  await page.goto('/progress/');
  await expect(page.getByText(/1 of \d+ exercises solved/)).toBeVisible();
});

test('with no storage at all, the notice offers the progress as a download on the chapter page itself', async ({ page }) => {
  await page.addInitScript(() => {
    for (const name of ['localStorage', 'sessionStorage']) {
      Object.defineProperty(window, name, {
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      });
    }
  });
  await page.goto(CHAPTER);
  const notice = page.getByRole('status').filter({ hasText: 'not saved in this browser' });
  await expect(notice).toContainText('lasts only while this page is open');
  await solveOutputWeight(page);
  const downloaded = page.waitForEvent('download');
  await notice.getByRole('button', { name: 'Download your progress' }).click();
  const file = JSON.parse(await readFile((await (await downloaded).path())!, 'utf8')) as { exercises: Record<string, { solved: boolean }> };
  expect(Object.values(file.exercises).filter((entry) => entry.solved)).toHaveLength(1);
});

test('when local storage is full, progress is kept for the tab across pages and the page says so', async ({ page }) => {
  await page.addInitScript((key) => {
    const original = Storage.prototype.setItem;
    Storage.prototype.setItem = function (this: Storage, name: string, value: string) {
      if (name === key && this === window.localStorage) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.call(this, name, value);
    };
  }, KEY);
  await page.goto(CHAPTER);
  await solveOutputWeight(page);
  await expect(page.getByRole('status').filter({ hasText: 'not saved in this browser' })).toContainText('storage for this site is full');
  await page.goto('/progress/');
  await expect(page.getByText(/1 of \d+ exercises solved/)).toBeVisible();
  await page.goto(CHAPTER);
  await expect(page.getByRole('navigation', { name: 'Chapters' }).locator('[data-progress-chapter="backprop"]')).toHaveText(/^1\/\d+ solved$/);
});

test('an import with unreadable entries says how many were skipped and why', async ({ page }) => {
  await page.goto('/progress/');
  const input = page.getByLabel('Import a progress file (JSON)');
  await expect(input).toBeEnabled();
  const file = {
    version: 1,
    exercises: {
      'backprop-one': { attempts: 1, solved: true, revealed: false },
      'backprop-two': { attempts: 1, solved: false, revealed: false },
      'backprop-three': { attempts: 'many', solved: true, revealed: false },
      'Not An Id': { attempts: 1, solved: true, revealed: false },
      'backprop-four': 'solved',
    },
    chapters: { backprop: { read: 'yes' } },
  };
  await input.setInputFiles({ name: 'mixed.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  const result = page.getByRole('status').filter({ hasText: 'Imported' });
  await expect(result).toContainText('2 new entries added');
  await expect(result).toContainText('4 entries could not be read and were skipped (2 of them marked solved or read)');
  await expect(result).toContainText('“backprop-three” (its attempt count is not a whole number from 0 up)');
});
