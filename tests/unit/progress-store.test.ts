import { describe, expect, it } from 'vitest';
import {
  BACKUP_KEY_PREFIX,
  emptyProgress,
  mergeProgress,
  parseProgress,
  PROGRESS_KEY,
  ProgressStore,
  type ProgressData,
  type StorageLike,
} from '../../src/exercises/progress-store';

/** An in-memory Storage; `quota` (characters over all values) makes setItem throw like a full browser store. */
class FakeStorage implements StorageLike {
  readonly items = new Map<string, string>();
  constructor(private readonly quota = Infinity) {}
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    const used = [...this.items].reduce((sum, [k, v]) => sum + (k === key ? 0 : v.length), 0);
    if (used + value.length > this.quota) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.items.set(key, value);
  }
}

const fixedClock = (iso: string) => () => new Date(iso);

function stored(storage: FakeStorage): ProgressData {
  return JSON.parse(storage.getItem(PROGRESS_KEY) ?? 'null') as ProgressData;
}

describe('parseProgress', () => {
  it('reads nothing as empty progress', () => {
    expect(parseProgress(null)).toEqual({ kind: 'empty', data: emptyProgress() });
  });

  it('reads valid version-1 data as it is', () => {
    const data: ProgressData = {
      version: 1,
      exercises: { 'backprop-grad-w5': { attempts: 2, solved: true, solvedAt: '2026-11-27T10:00:00.000Z', revealed: false, lastAttemptAt: '2026-11-27T10:00:00.000Z' } },
      chapters: { backprop: { read: true, readAt: '2026-11-27T09:00:00.000Z' } },
    };
    expect(parseProgress(JSON.stringify(data))).toEqual({ kind: 'ok', data });
  });

  it('sets aside text that is not JSON', () => {
    const read = parseProgress('{"version":1,"exercises":');
    expect(read.kind).toBe('set-aside');
    expect(read.kind === 'set-aside' && read.reason).toBe('corrupt');
  });

  it('sets aside foreign data', () => {
    for (const raw of ['[1,2]', '"hello"', '42', '{"theme":"dark"}', '{"version":"1"}', '{"version":1,"exercises":[]}']) {
      const read = parseProgress(raw);
      expect(read.kind === 'set-aside' && read.reason, raw).toBe('foreign');
    }
  });

  it('sets aside data written by a newer version of the course', () => {
    const read = parseProgress(JSON.stringify({ version: 2, exercises: {}, chapters: {} }));
    expect(read.kind === 'set-aside' && read.reason).toBe('newer');
    expect(read.kind === 'set-aside' && read.detail).toMatch(/format 2/);
  });

  it('keeps the readable entries when some are broken, and says so', () => {
    const raw = JSON.stringify({
      version: 1,
      exercises: {
        good: { attempts: 1, solved: false, revealed: false },
        negative: { attempts: -1, solved: false, revealed: false },
        'bad-date': { attempts: 1, solved: true, solvedAt: 'yesterday', revealed: false },
        'Bad Id!': { attempts: 1, solved: false, revealed: false },
      },
      chapters: { backprop: { read: 'yes' } },
    });
    const read = parseProgress(raw);
    expect(read.kind).toBe('set-aside');
    if (read.kind === 'set-aside') {
      expect(read.reason).toBe('partly-corrupt');
      expect(Object.keys(read.data.exercises)).toEqual(['good']);
      expect(read.data.chapters).toEqual({});
      expect(read.detail).toMatch(/4 saved entries/);
    }
  });

  it('migrates older versions step by step', () => {
    // A hypothetical version 0 that kept solved exercise ids in a list.
    const migrations = {
      0: (old: Record<string, unknown>) => ({
        version: 1,
        exercises: Object.fromEntries((old.solved as string[]).map((id) => [id, { attempts: 1, solved: true, revealed: false }])),
        chapters: {},
      }),
    };
    const read = parseProgress(JSON.stringify({ version: 0, solved: ['backprop-grad-w5'] }), migrations);
    expect(read).toEqual({
      kind: 'ok',
      migratedFrom: 0,
      data: { version: 1, exercises: { 'backprop-grad-w5': { attempts: 1, solved: true, revealed: false } }, chapters: {} },
    });
    // Without a migration, an old format is set aside rather than misread.
    const unknown = parseProgress(JSON.stringify({ version: 0, solved: [] }));
    expect(unknown.kind === 'set-aside' && unknown.reason).toBe('foreign');
  });
});

describe('ProgressStore', () => {
  it('records attempts, the first solve time and reveals, and saves them', () => {
    const storage = new FakeStorage();
    let now = '2026-11-27T10:00:00.000Z';
    const store = new ProgressStore(storage, () => new Date(now));
    store.recordAttempt('backprop-grad-w5', false);
    now = '2026-11-27T10:05:00.000Z';
    store.recordRevealed('backprop-grad-w5');
    store.recordAttempt('backprop-grad-w5', true);
    now = '2026-11-27T10:09:00.000Z';
    store.recordAttempt('backprop-grad-w5', true);
    store.markChapterRead('backprop');
    expect(stored(storage)).toEqual({
      version: 1,
      exercises: {
        'backprop-grad-w5': {
          attempts: 3,
          solved: true,
          solvedAt: '2026-11-27T10:05:00.000Z',
          revealed: true,
          lastAttemptAt: '2026-11-27T10:09:00.000Z',
        },
      },
      chapters: { backprop: { read: true, readAt: '2026-11-27T10:09:00.000Z' } },
    });
    expect(store.persistent).toBe(true);
    expect(store.notices).toEqual([]);
    // A second store on the same storage (a reload) finds it all.
    expect(new ProgressStore(storage).data).toEqual(stored(storage));
  });

  it('sets corrupt data aside under a backup key, with a notice, and starts afresh', () => {
    const storage = new FakeStorage();
    storage.setItem(PROGRESS_KEY, '{not json');
    const store = new ProgressStore(storage, fixedClock('2026-11-27T11:00:00.000Z'));
    const backupKey = `${BACKUP_KEY_PREFIX}2026-11-27T11:00:00.000Z`;
    expect(storage.getItem(backupKey)).toBe('{not json');
    expect(store.notices).toEqual([{ kind: 'set-aside', reason: 'corrupt', detail: expect.any(String), backupKey }]);
    expect(store.data).toEqual(emptyProgress());
    expect(stored(storage)).toEqual(emptyProgress());
    store.recordAttempt('a', true);
    expect(storage.getItem(backupKey)).toBe('{not json');
  });

  it('sets newer-version data aside instead of overwriting it', () => {
    const storage = new FakeStorage();
    const newer = JSON.stringify({ version: 7, everything: 'new' });
    storage.setItem(PROGRESS_KEY, newer);
    const store = new ProgressStore(storage, fixedClock('2026-11-27T11:00:00.000Z'));
    expect(store.notices[0]).toMatchObject({ kind: 'set-aside', reason: 'newer' });
    expect(storage.getItem(`${BACKUP_KEY_PREFIX}2026-11-27T11:00:00.000Z`)).toBe(newer);
  });

  it('leaves unreadable data in place when it cannot be backed up, and keeps progress for the visit', () => {
    const raw = JSON.stringify({ version: 9, big: 'x'.repeat(50) });
    const storage = new FakeStorage(raw.length + 10);
    storage.setItem(PROGRESS_KEY, raw);
    const store = new ProgressStore(storage);
    expect(store.persistent).toBe(false);
    expect(store.notices.map((notice) => notice.kind)).toEqual(['set-aside', 'not-kept']);
    store.recordAttempt('a', true);
    expect(store.exercise('a')?.solved).toBe(true);
    expect(storage.getItem(PROGRESS_KEY)).toBe(raw);
  });

  it('works for the visit when storage is unavailable', () => {
    const store = new ProgressStore(null);
    expect(store.persistent).toBe(false);
    expect(store.notices).toEqual([{ kind: 'not-kept', detail: expect.stringMatching(/private window/), keptForTab: false }]);
    store.recordAttempt('a', true);
    store.markChapterRead('backprop');
    expect(store.exercise('a')).toMatchObject({ attempts: 1, solved: true });
    expect(store.data.chapters.backprop.read).toBe(true);
  });

  it('works for the visit when reading storage throws', () => {
    const throwing: StorageLike = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => undefined,
    };
    const store = new ProgressStore(throwing);
    expect(store.persistent).toBe(false);
    store.recordAttempt('a', false);
    expect(store.exercise('a')?.attempts).toBe(1);
  });

  it('keeps working when storage is full, says so, and recovers when space returns', () => {
    // Room for the progress with one exercise in it, not for two.
    const measure = new FakeStorage();
    new ProgressStore(measure, fixedClock('2026-11-27T10:00:00.000Z')).recordAttempt('first', true);
    const storage = new FakeStorage((measure.getItem(PROGRESS_KEY) ?? '').length + 20);
    const store = new ProgressStore(storage, fixedClock('2026-11-27T10:00:00.000Z'));
    store.recordAttempt('first', true);
    expect(store.persistent).toBe(true);
    store.recordAttempt('a-second-exercise-with-a-long-id', true);
    expect(store.persistent).toBe(false);
    expect(store.notices).toEqual([{ kind: 'not-kept', detail: expect.stringMatching(/full/), keptForTab: false }]);
    expect(store.exercise('a-second-exercise-with-a-long-id')?.solved).toBe(true);
    // The last value that fitted is still stored.
    expect(Object.keys(stored(storage).exercises)).toEqual(['first']);
    store.reset();
    expect(store.persistent).toBe(true);
    expect(stored(storage)).toEqual(emptyProgress());
  });

  it('takes changes from another tab without writing them back', () => {
    const storage = new FakeStorage();
    const store = new ProgressStore(storage);
    const seen: ProgressData[] = [];
    store.subscribe((data) => seen.push(data));
    const other: ProgressData = { version: 1, exercises: { x: { attempts: 1, solved: true, revealed: false } }, chapters: {} };
    store.receiveExternalChange(JSON.stringify(other));
    expect(store.data).toEqual(other);
    expect(seen).toEqual([other]);
    expect(storage.getItem(PROGRESS_KEY)).toBeNull();
    // Another tab's reset (key removed) empties this one too.
    store.receiveExternalChange(null);
    expect(store.data).toEqual(emptyProgress());
    // A newer tab's unreadable format does not wipe what this tab shows.
    store.recordAttempt('kept', true);
    store.receiveExternalChange(JSON.stringify({ version: 5 }));
    expect(store.exercise('kept')?.solved).toBe(true);
  });
});

describe('import and merge', () => {
  const local: ProgressData = {
    version: 1,
    exercises: {
      both: { attempts: 3, solved: false, revealed: false, lastAttemptAt: '2026-11-27T12:00:00.000Z' },
      same: { attempts: 1, solved: true, solvedAt: '2026-11-20T10:00:00.000Z', revealed: false, lastAttemptAt: '2026-11-20T10:00:00.000Z' },
      'local-only': { attempts: 1, solved: false, revealed: true },
    },
    chapters: { backprop: { read: true, readAt: '2026-11-25T10:00:00.000Z' } },
  };
  const imported: ProgressData = {
    version: 1,
    exercises: {
      both: { attempts: 2, solved: true, solvedAt: '2026-11-26T09:00:00.000Z', revealed: false, lastAttemptAt: '2026-11-26T09:00:00.000Z' },
      same: local.exercises.same,
      'file-only': { attempts: 4, solved: true, solvedAt: '2026-11-01T10:00:00.000Z', revealed: false },
    },
    chapters: { backprop: { read: true, readAt: '2026-11-21T10:00:00.000Z' }, 'vanishing-gradients': { read: true } },
  };

  it('never drops an entry or a newer fact from either side', () => {
    const { data, report } = mergeProgress(local, imported);
    expect(data.exercises.both).toEqual({
      attempts: 3,
      solved: true,
      solvedAt: '2026-11-26T09:00:00.000Z',
      revealed: false,
      lastAttemptAt: '2026-11-27T12:00:00.000Z',
    });
    expect(data.exercises.same).toEqual(local.exercises.same);
    expect(data.exercises['local-only']).toEqual(local.exercises['local-only']);
    expect(data.exercises['file-only']).toEqual(imported.exercises['file-only']);
    expect(data.chapters.backprop).toEqual({ read: true, readAt: '2026-11-21T10:00:00.000Z' });
    expect(data.chapters['vanishing-gradients']).toEqual({ read: true });
    expect(report).toEqual({ added: 2, updated: 2, unchanged: 1, keptLocal: 1 });
  });

  it('is idempotent: importing the same file twice changes nothing the second time', () => {
    const once = mergeProgress(local, imported).data;
    const twice = mergeProgress(once, imported);
    expect(twice.data).toEqual(once);
    expect(twice.report.added + twice.report.updated).toBe(0);
  });

  it('round-trips through export and import in the store', () => {
    const storage = new FakeStorage();
    storage.setItem(PROGRESS_KEY, JSON.stringify(local));
    const store = new ProgressStore(storage, fixedClock('2026-11-27T13:00:00.000Z'));
    const exported = store.exportText();
    expect(JSON.parse(exported)).toMatchObject({ ...local, exportedAt: '2026-11-27T13:00:00.000Z' });
    store.reset();
    expect(store.data).toEqual(emptyProgress());
    const result = store.importText(exported);
    expect(result).toEqual({ ok: true, report: { added: 4, updated: 0, unchanged: 0, keptLocal: 0 }, skipped: [] });
    expect(store.data).toEqual(local);
    expect(stored(storage)).toEqual(local);
  });

  it('refuses files it cannot read and changes nothing', () => {
    const storage = new FakeStorage();
    const store = new ProgressStore(storage);
    store.recordAttempt('mine', true);
    const before = store.data;
    for (const text of ['', 'not json', '{"version":3,"exercises":{},"chapters":{}}', '{"hello":"world"}']) {
      const result = store.importText(text);
      expect(result.ok, text).toBe(false);
    }
    const newer = store.importText('{"version":3,"exercises":{},"chapters":{}}');
    expect(!newer.ok && newer.message).toMatch(/newer version/);
    expect(store.data).toBe(before);
  });
});

describe('robustness (issue 16)', () => {
  it('keeps progress for the tab in session storage when local storage is unavailable, across page loads', () => {
    const session = new FakeStorage();
    const first = new ProgressStore(null, fixedClock('2026-11-27T10:00:00.000Z'), undefined, session);
    first.recordAttempt('a', true);
    expect(first.persistent).toBe(false);
    expect(first.notices).toEqual([{ kind: 'not-kept', detail: expect.stringMatching(/private window/), keptForTab: true }]);
    // The next page of the same visit starts from what the first one had.
    const next = new ProgressStore(null, fixedClock('2026-11-27T10:05:00.000Z'), undefined, session);
    expect(next.exercise('a')).toMatchObject({ attempts: 1, solved: true });
  });

  it('keeps progress for the tab when local storage is full, and merges it back once space returns', () => {
    const measure = new FakeStorage();
    new ProgressStore(measure).recordAttempt('first', true);
    const local = new FakeStorage((measure.getItem(PROGRESS_KEY) ?? '').length + 20);
    const session = new FakeStorage();
    const store = new ProgressStore(local, undefined, undefined, session);
    store.recordAttempt('first', true);
    store.recordAttempt('a-second-exercise-with-a-long-id', true);
    expect(store.notices).toEqual([{ kind: 'not-kept', detail: expect.stringMatching(/full/), keptForTab: true }]);
    const nextPage = new ProgressStore(local, undefined, undefined, session);
    expect(nextPage.exercise('a-second-exercise-with-a-long-id')?.solved).toBe(true);
    expect(nextPage.exercise('first')?.solved).toBe(true);
  });

  it('says when nothing can keep progress beyond the page', () => {
    const store = new ProgressStore(null, undefined, undefined, null);
    expect(store.notices).toEqual([{ kind: 'not-kept', detail: expect.stringMatching(/private window/), keptForTab: false }]);
  });

  it('reports the entries an import had to skip, with the reasons and how many were solved', () => {
    const store = new ProgressStore(new FakeStorage());
    const result = store.importText(
      JSON.stringify({
        version: 1,
        exercises: {
          good: { attempts: 1, solved: true, revealed: false },
          also: { attempts: 2, solved: false, revealed: false },
          negative: { attempts: -1, solved: true, revealed: false },
          'bad-date': { attempts: 1, solved: true, solvedAt: 'yesterday', revealed: false },
          'Bad Id!': { attempts: 1, solved: false, revealed: false },
        },
        chapters: { backprop: { read: 'yes' } },
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.report.added).toBe(2);
    expect(result.skipped.map((entry) => entry.id)).toEqual(['negative', 'bad-date', 'Bad Id!', 'backprop']);
    expect(result.skipped.filter((entry) => entry.markedSolved)).toHaveLength(2);
    expect(result.skipped.find((entry) => entry.id === 'negative')?.reason).toMatch(/attempt count/);
    expect(result.skipped.find((entry) => entry.id === 'Bad Id!')?.reason).toMatch(/not an exercise id/);
  });

  it('sets aside stored data with fields it does not know, keeping the original, instead of dropping them silently', () => {
    const storage = new FakeStorage();
    const raw = JSON.stringify({ version: 1, exercises: { a: { attempts: 1, solved: true, revealed: false, hintsShown: 2 } }, chapters: {} });
    storage.setItem(PROGRESS_KEY, raw);
    const store = new ProgressStore(storage, fixedClock('2026-11-27T10:00:00.000Z'));
    expect(store.exercise('a')).toEqual({ attempts: 1, solved: true, revealed: false });
    expect(store.notices).toEqual([
      { kind: 'set-aside', reason: 'unknown-fields', detail: expect.stringContaining('hintsShown'), backupKey: `${BACKUP_KEY_PREFIX}2026-11-27T10:00:00.000Z` },
    ]);
    expect(storage.getItem(`${BACKUP_KEY_PREFIX}2026-11-27T10:00:00.000Z`)).toBe(raw);
    // An exported file's exportedAt is a field the course itself writes: not unknown.
    const exported = JSON.stringify({ version: 1, exercises: {}, chapters: {}, exportedAt: '2026-11-27T10:00:00.000Z' });
    expect(parseProgress(exported).kind).toBe('ok');
  });

  it('loses no answer when two tabs write at the same moment', () => {
    const storage = new FakeStorage();
    const tabA = new ProgressStore(storage);
    const tabB = new ProgressStore(storage);
    // Neither tab has seen the other's storage event yet.
    tabA.recordAttempt('solved-in-a', true);
    tabB.recordAttempt('solved-in-b', true);
    tabB.markChapterRead('backprop');
    tabA.recordRevealed('revealed-in-a');
    const after = new ProgressStore(storage);
    expect(after.exercise('solved-in-a')?.solved).toBe(true);
    expect(after.exercise('solved-in-b')?.solved).toBe(true);
    expect(after.exercise('revealed-in-a')?.revealed).toBe(true);
    expect(after.data.chapters.backprop?.read).toBe(true);
    // A reset is meant to forget: it is not merged back.
    tabA.reset();
    expect(new ProgressStore(storage).data).toEqual(emptyProgress());
  });
});
