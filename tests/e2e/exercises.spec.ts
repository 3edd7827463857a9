/**
 * Chapter 1's exercises, one of each type, failed, retried and solved by keyboard, with the
 * feedback announced in each exercise's live region and the progress kept across a reload.
 */
import { test, expect, type Locator, type Page } from '@playwright/test';

const CHAPTER = '/lessons/backprop/';

function exercise(page: Page, title: string): Locator {
  return page.getByRole('region', { name: title });
}

/** The exercise's live feedback region (role status). */
function feedback(region: Locator): Locator {
  return region.locator('[data-ex-feedback]');
}

/** Focuses a control (once the page's script has enabled it) and presses a key on it. */
async function press(locator: Locator, key = 'Enter'): Promise<void> {
  await expect(locator).toBeEnabled();
  await locator.focus();
  await locator.page().keyboard.press(key);
}

// Chapter 1 is a heavy page (TF.js in workers) and the test machine is small.
test.setTimeout(120_000);

test.beforeEach(async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  (page as Page & { consoleErrors?: string[] }).consoleErrors = errors;
  await page.goto(CHAPTER);
  // The exercise script enables the Check buttons when it runs.
  await expect(page.getByRole('button', { name: 'Check', exact: true }).first()).toBeEnabled();
});

test.afterEach(async ({ page }) => {
  expect((page as Page & { consoleErrors?: string[] }).consoleErrors ?? []).toEqual([]);
});

test('every exercise has a course-wide id in the page', async ({ page }) => {
  const ids = await page.locator('[data-exercise-id]').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-exercise-id')));
  expect(ids.length).toBeGreaterThanOrEqual(5);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toContain('backprop-sigmoid-slope');
});

test('multiple choice: a wrong answer explains its misconception, then retry and solve', async ({ page }) => {
  const region = exercise(page, 'How much a sigmoid lets through');
  await region.scrollIntoViewIfNeeded();
  const first = region.getByRole('radio').first();
  await first.focus();
  await page.keyboard.press('ArrowDown'); // selects the second option, "At most 1"
  await expect(region.getByRole('radio', { name: /At most 1, like the identity/ })).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(region.getByRole('button', { name: 'Check' })).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(feedback(region)).toContainText('Not quite.');
  await expect(feedback(region)).toContainText('never reaches 1');
  await expect(region.getByRole('button', { name: 'Try again' })).toBeFocused();
  await expect(region.getByText(/Your progress: Not solved yet · 1 attempt/)).toBeVisible();

  // Try again answers once the feedback had a moment (a second Enter must not wipe it).
  await expect(region.getByRole('button', { name: 'Try again' })).toBeEnabled();
  await page.keyboard.press('Enter'); // Try again
  await expect(feedback(region)).toBeEmpty();
  await expect(region.getByRole('radio').first()).toBeFocused();
  await page.keyboard.press('Space');
  await expect(region.getByRole('radio').first()).toBeChecked();
  await press(region.getByRole('button', { name: 'Check' }));
  await expect(feedback(region)).toContainText('Correct.');
  await expect(region.getByText('Even in the best case')).toBeVisible();
  await expect(region.getByText(/Your progress: Solved on .* · 2 attempts/)).toBeVisible();
});

test('multiple choice with several answers: missing one is not right', async ({ page }) => {
  const region = exercise(page, 'What backpropagation reuses');
  await region.scrollIntoViewIfNeeded();
  await expect(region.getByRole('group', { name: 'Choose all that apply' })).toBeVisible();
  const boxes = region.getByRole('checkbox');
  await press(boxes.nth(0), 'Space'); // ∂L/∂z1, right; the input x1 (third) is also right
  await press(region.getByRole('button', { name: 'Check' }));
  await expect(feedback(region)).toContainText('1 right option is not chosen');

  await press(region.getByRole('button', { name: 'Try again' }));
  await press(boxes.nth(2), 'Space');
  await press(boxes.nth(3), 'Space'); // a wrong one: the gradient of w5
  await press(region.getByRole('button', { name: 'Check' }));
  await expect(feedback(region)).toContainText('1 choice is not right');
  await expect(feedback(region)).toContainText('dead end');

  await press(region.getByRole('button', { name: 'Try again' }));
  await press(boxes.nth(3), 'Space');
  await press(region.getByRole('button', { name: 'Check' }));
  await expect(feedback(region)).toContainText('Correct.');
});

test('numeric answer: unreadable input gets a message, a wrong answer targeted feedback, then solve', async ({ page }) => {
  const region = exercise(page, 'The gradient of an output weight');
  const input = region.getByRole('textbox', { name: 'Your answer' });
  await input.focus();
  await page.keyboard.press('Enter');
  await expect(feedback(region)).toContainText('Type a number');
  await expect(input).toHaveAttribute('aria-invalid', 'true');

  await input.fill('I think it is about minus zero point three eight, roughly');
  await page.keyboard.press('Enter');
  await expect(feedback(region)).toContainText('That is too long to be a number');
  await input.fill('0.38.1');
  await page.keyboard.press('Enter');
  await expect(feedback(region)).toContainText('not a number this exercise can read');
  await expect(feedback(region)).not.toContainText('Not quite');
  // Unreadable input is not an attempt.
  await expect(region.getByText(/Your progress/)).toBeHidden();

  await input.fill('0.38');
  await page.keyboard.press('Enter');
  await expect(feedback(region)).toContainText('Not quite.');
  await expect(feedback(region)).toContainText('Right size, wrong sign');
  await expect(input).toBeDisabled();

  await expect(region.getByRole('button', { name: 'Try again' })).toBeEnabled();
  await page.keyboard.press('Enter'); // focus is on "Try again"
  await expect(input).toBeFocused();
  await input.fill('\u22120.380');
  await page.keyboard.press('Enter');
  await expect(feedback(region)).toContainText('Correct.');
  await expect(region.getByText('Every weight\u2019s gradient has this shape').or(region.getByText("Every weight's gradient has this shape"))).toBeVisible();
});

test('hints come one at a time, and the solution says it counts as revealed', async ({ page }) => {
  const region = exercise(page, 'The gradient of an output weight');
  await expect(region.getByText('Showing the solution before you have solved the exercise is noted')).toBeVisible();
  await press(region.getByRole('button', { name: 'Show a hint (1 of 2)' }));
  const hints = region.getByRole('list', { name: 'Hints' }).getByRole('listitem');
  await expect(hints.nth(0)).toBeVisible();
  await expect(hints.nth(1)).toBeHidden();
  await expect(hints.nth(0)).toBeFocused();
  await press(region.getByRole('button', { name: 'Show another hint (2 of 2)' }));
  await expect(hints.nth(1)).toBeVisible();
  await expect(region.getByRole('button', { name: /hint/ })).toHaveCount(0);

  await press(region.getByRole('button', { name: 'Show the solution' }));
  await expect(region.getByText('Solution', { exact: true })).toBeVisible();
  await expect(region.getByText(/Your progress: Not solved yet · 0 attempts · solution revealed/)).toBeVisible();
});

test('ordering: move items by keyboard with announcements, fail, retry and solve', async ({ page }) => {
  const region = exercise(page, 'One training step, in order');
  await region.scrollIntoViewIfNeeded();
  const steps = ['through the hidden units', 'Finish the forward pass', 'Start the backward pass', 'output weights', 'first hidden unit', 'Update every weight'];
  const items = region.getByRole('list').first().getByRole('listitem');
  await expect(items).toHaveCount(steps.length);

  // Shuffled: checking at once is wrong.
  await press(region.getByRole('button', { name: 'Check order' }));
  await expect(feedback(region)).toContainText('Not quite.');
  await expect(feedback(region)).toContainText(`of ${steps.length} are in the right place`);
  await press(region.getByRole('button', { name: 'Try again' }));

  // Selection sort with the "Move up" buttons; focus stays on the moved item's button.
  for (const [target, words] of steps.entries()) {
    const texts = await items.allTextContents();
    const position = texts.findIndex((text) => text.includes(words));
    expect(position, words).toBeGreaterThanOrEqual(target);
    if (position === target) continue;
    const up = region.getByRole('button', { name: new RegExp(`^Move up:.*${words}`) });
    await up.focus();
    for (let i = position; i > target; i--) await page.keyboard.press('Enter');
    await expect(region.getByText(`Moved up: now ${target + 1} of ${steps.length}.`)).toBeAttached();
    await expect(items.nth(target)).toContainText(words);
  }
  await expect(region.getByRole('button', { name: /^Move up:/ }).first()).toBeDisabled();
  await press(region.getByRole('button', { name: 'Check order' }));
  await expect(feedback(region)).toContainText('Correct.');
  await expect(feedback(region)).toContainText('Every step is in its place');
});

test('matching: every item needs a match; wrong matches are named; then solve', async ({ page }) => {
  const region = exercise(page, 'Local derivatives on the graph');
  await region.scrollIntoViewIfNeeded();
  const answers: Record<string, string> = { '∂z1/∂w1': 'x₁', '∂ŷ/∂h1': 'w₅', '∂h1/∂z1': 'h₁(1 − h₁)', '∂L/∂ŷ': 'ŷ − y', '∂z1/∂b1': '1' };

  await press(region.getByRole('button', { name: 'Check matches' }));
  await expect(feedback(region)).toContainText('Choose a match for every item (5 still need one)');

  /** Chooses by typing the option's letter into the focused select, as a keyboard user would. */
  async function choose(left: string, right: string): Promise<void> {
    const select = region.getByRole('combobox', { name: left });
    const labels = await select.getByRole('option').allTextContents();
    const label = labels.find((text) => text.endsWith(`. ${right}`));
    expect(label, `${left} → ${right}`).toBeDefined();
    await select.focus();
    await page.keyboard.type(label!.charAt(0));
    await expect(select).toHaveValue(/\d/);
    expect(await select.evaluate((element: HTMLSelectElement) => element.selectedOptions[0]?.textContent)).toBe(label);
  }

  // Swap the first two answers.
  await choose('∂z1/∂w1', answers['∂ŷ/∂h1']);
  await choose('∂ŷ/∂h1', answers['∂z1/∂w1']);
  for (const left of Object.keys(answers).slice(2)) await choose(left, answers[left]);
  await press(region.getByRole('button', { name: 'Check matches' }));
  await expect(feedback(region)).toContainText('3 of 5 matches are right');
  await expect(feedback(region)).toContainText('∂z1/∂w1, ∂ŷ/∂h1');

  await press(region.getByRole('button', { name: 'Try again' }));
  for (const [left, right] of Object.entries(answers)) await choose(left, right);
  await press(region.getByRole('button', { name: 'Check matches' }));
  await expect(feedback(region)).toContainText('Correct.');
});

test('predict, then run: the prediction is committed, the stepper runs, and they are compared', async ({ page }) => {
  const region = exercise(page, 'Predict a sign before you look');
  await region.scrollIntoViewIfNeeded();
  const commit = region.getByRole('button', { name: 'Commit prediction and run' });
  await press(commit);
  await expect(feedback(region)).toContainText('Choose your prediction first');

  await press(region.getByRole('radio', { name: /Negative/ }), 'Space');
  await press(commit);
  await expect(feedback(region)).toContainText('The run came out differently from your prediction.');
  await expect(feedback(region)).toContainText('You predicted “Negative”');
  await expect(feedback(region)).toContainText(/∂L\/∂w3 = 0\.077\d* \(positive\)/);
  await expect(feedback(region)).toContainText('flips the sign');
  await expect(region.getByText('The sign of a gradient is the product of the signs along its path.')).toBeVisible();
  // The stepper really ran to the end of its backward pass.
  const stepperStatus = await page.locator('[data-widget-id="stepper"]').evaluate((element) => (element as unknown as { getState(): { status: string } }).getState().status);
  expect(stepperStatus).toBe('finished');

  // Try again answers once the feedback had a moment (a second Enter must not wipe it).
  await expect(region.getByRole('button', { name: 'Try again' })).toBeEnabled();
  await page.keyboard.press('Enter'); // Try again
  await press(region.getByRole('radio', { name: /Positive/ }), 'Space');
  await press(commit);
  await expect(feedback(region)).toContainText('Your prediction matches the run.');
  await expect(region.getByText(/Your progress: Solved on .* · 2 attempts/)).toBeVisible();
});

test('widget challenge: checked from the stepper as the reader works it, not by a button', async ({ page }) => {
  const region = exercise(page, 'Starve a hidden unit');
  await expect(region.getByRole('button', { name: /Check/ })).toHaveCount(0);
  const status = region.locator('[data-ex-goal-status]');
  await expect(status).toContainText('still has a slope');

  const stepper = page.locator('[data-widget-id="stepper"]');
  // A full run at the default settings misses the goal: one attempt.
  await press(stepper.getByRole('button', { name: 'Run all' }));
  // The stepper animates its 20 steps one by one; on a busy machine that takes a while.
  await expect(stepper.getByText(/^Backward step (\d+) of \1$/)).toBeVisible({ timeout: 90_000 });
  await expect(region.getByText(/Your progress: Not solved yet · 1 attempt/)).toBeVisible();
  await expect(feedback(region)).toBeEmpty();

  // Saturate h1 by typing a large negative w1 into the stepper (its weights fold behind
  // "All settings" in the chapter), then run the backward pass.
  await stepper.getByText(/^All settings \(\d+\)$/).click();
  const w1 = stepper.getByLabel('Weight w1 (x1 → z1)');
  await w1.fill('-5');
  await w1.press('Enter');
  await w1.press('Tab');
  await expect(status).toContainText('h1 is saturated');
  await press(stepper.getByRole('button', { name: 'Reset' }));
  await press(stepper.getByRole('button', { name: 'Run all' }));
  await expect(feedback(region)).toContainText('Goal reached');
  await expect(region.getByText('A saturated unit is a nearly closed valve')).toBeVisible();
  await expect(region.getByText(/Your progress: Solved on/)).toBeVisible();
});

test('solving updates the sidebar, and progress is kept after a reload', async ({ page }) => {
  const sidebarBadge = page.getByRole('navigation', { name: 'Chapters' }).locator('[data-progress-chapter="backprop"]');
  const total = await page.locator('[data-exercise-id]').count();
  await expect(sidebarBadge).toHaveText(new RegExp(`0/${total} solved`));

  const region = exercise(page, 'The gradient of an output weight');
  const input = region.getByRole('textbox', { name: 'Your answer' });
  await input.fill('-0.38');
  await input.press('Enter');
  await expect(feedback(region)).toContainText('Correct.');
  await expect(sidebarBadge).toHaveText(new RegExp(`1/${total} solved`));

  await press(page.getByRole('button', { name: 'Mark as read' }));
  await expect(sidebarBadge).toHaveText(new RegExp(`^read · 1/${total} solved$`));
  await expect(page.getByText(/You have read this chapter/)).toBeVisible();

  await page.reload();
  await expect(sidebarBadge).toHaveText(new RegExp(`^read · 1/${total} solved$`));
  await expect(exercise(page, 'The gradient of an output weight').getByText(/Your progress: Solved on .* · 1 attempt\./)).toBeVisible();
});
