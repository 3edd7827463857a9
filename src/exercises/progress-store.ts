/**
 * The reader's progress: which exercises they attempted and solved (and whether they revealed a
 * solution), and which chapters they read. Kept in localStorage under one versioned key, read back
 * through a hand-written schema check (no zod in the browser bundle). No DOM here apart from the
 * Storage interface, so the store runs under vitest with a fake storage.
 */

export const PROGRESS_KEY = 'skipcourse:progress';
/** Prefix of the keys under which unreadable progress is set aside (never deleted). */
export const BACKUP_KEY_PREFIX = 'skipcourse:progress:backup:';
export const PROGRESS_VERSION = 1;

export interface ExerciseProgress {
  /** Checked answers (invalid input, e.g. an empty box, is not an attempt). */
  attempts: number;
  solved: boolean;
  /** ISO time of the first correct answer. */
  solvedAt?: string;
  /** The worked solution was shown (before or after solving). */
  revealed: boolean;
  lastAttemptAt?: string;
}

export interface ChapterProgress {
  read: boolean;
  readAt?: string;
}

export interface ProgressData {
  version: typeof PROGRESS_VERSION;
  exercises: Record<string, ExerciseProgress>;
  chapters: Record<string, ChapterProgress>;
}

export function emptyProgress(): ProgressData {
  return { version: PROGRESS_VERSION, exercises: {}, chapters: {} };
}

// ---------------------------------------------------------------------------------------------
// Reading: schema check and migrations
// ---------------------------------------------------------------------------------------------

/** Why stored data could not be used as it is. */
export type SetAsideReason = 'corrupt' | 'foreign' | 'newer' | 'partly-corrupt';

export type ProgressRead =
  | { kind: 'empty'; data: ProgressData }
  | { kind: 'ok'; data: ProgressData; migratedFrom?: number }
  /** Unusable as a whole or in part: `data` holds whatever could be salvaged (often nothing). */
  | { kind: 'set-aside'; reason: SetAsideReason; data: ProgressData; detail: string };

/** Upgrades data of version N to N + 1. The course is at version 1, so none exist yet. */
export type Migration = (old: Record<string, unknown>) => Record<string, unknown>;
export const MIGRATIONS: Record<number, Migration> = {};

const ID_KEY = /^[a-z0-9][a-z0-9-]{0,99}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value));
}

function readExercise(value: unknown): ExerciseProgress | undefined {
  if (!isRecord(value)) return undefined;
  const { attempts, solved, solvedAt, revealed, lastAttemptAt } = value;
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 0 || attempts > 1e9) return undefined;
  if (typeof solved !== 'boolean' || typeof revealed !== 'boolean') return undefined;
  if (solvedAt !== undefined && !isIsoTime(solvedAt)) return undefined;
  if (lastAttemptAt !== undefined && !isIsoTime(lastAttemptAt)) return undefined;
  const entry: ExerciseProgress = { attempts, solved, revealed };
  if (solvedAt !== undefined) entry.solvedAt = solvedAt;
  if (lastAttemptAt !== undefined) entry.lastAttemptAt = lastAttemptAt;
  return entry;
}

function readChapter(value: unknown): ChapterProgress | undefined {
  if (!isRecord(value)) return undefined;
  const { read, readAt } = value;
  if (typeof read !== 'boolean') return undefined;
  if (readAt !== undefined && !isIsoTime(readAt)) return undefined;
  return readAt === undefined ? { read } : { read, readAt };
}

/**
 * Reads stored (or imported) progress text. Never throws: anything unusable comes back as
 * 'set-aside' with what could be salvaged and a reason the page can show.
 */
export function parseProgress(raw: string | null, migrations: Record<number, Migration> = MIGRATIONS): ProgressRead {
  if (raw === null || raw === '') return { kind: 'empty', data: emptyProgress() };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { kind: 'set-aside', reason: 'corrupt', data: emptyProgress(), detail: 'the saved progress is not valid JSON' };
  }
  if (!isRecord(parsed) || typeof parsed.version !== 'number' || !Number.isInteger(parsed.version)) {
    return { kind: 'set-aside', reason: 'foreign', data: emptyProgress(), detail: 'the saved data is not this course’s progress' };
  }
  if (parsed.version > PROGRESS_VERSION) {
    return {
      kind: 'set-aside',
      reason: 'newer',
      data: emptyProgress(),
      detail: `the saved progress was written by a newer version of the course (format ${parsed.version}; this page reads format ${PROGRESS_VERSION})`,
    };
  }
  const startVersion = parsed.version;
  let current: Record<string, unknown> = parsed;
  while ((current.version as number) < PROGRESS_VERSION) {
    const migrate = migrations[current.version as number];
    if (!migrate) {
      return { kind: 'set-aside', reason: 'foreign', data: emptyProgress(), detail: `progress format ${String(current.version)} is not one this page can read` };
    }
    try {
      current = migrate(current);
    } catch {
      return { kind: 'set-aside', reason: 'corrupt', data: emptyProgress(), detail: `progress of format ${String(startVersion)} could not be upgraded` };
    }
  }
  if (!isRecord(current.exercises) || !isRecord(current.chapters)) {
    return { kind: 'set-aside', reason: 'foreign', data: emptyProgress(), detail: 'the saved data is not this course’s progress' };
  }
  const data = emptyProgress();
  let dropped = 0;
  for (const [id, value] of Object.entries(current.exercises)) {
    const entry = ID_KEY.test(id) ? readExercise(value) : undefined;
    if (entry) data.exercises[id] = entry;
    else dropped++;
  }
  for (const [slug, value] of Object.entries(current.chapters)) {
    const entry = ID_KEY.test(slug) ? readChapter(value) : undefined;
    if (entry) data.chapters[slug] = entry;
    else dropped++;
  }
  if (dropped > 0) {
    return { kind: 'set-aside', reason: 'partly-corrupt', data, detail: `${dropped} saved ${dropped === 1 ? 'entry was' : 'entries were'} unreadable` };
  }
  return startVersion === PROGRESS_VERSION ? { kind: 'ok', data } : { kind: 'ok', data, migratedFrom: startVersion };
}

// ---------------------------------------------------------------------------------------------
// Merging (import)
// ---------------------------------------------------------------------------------------------

function earlier(a?: string, b?: string): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(a) <= Date.parse(b) ? a : b;
}

function later(a?: string, b?: string): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/**
 * Merges two exercise records so that nothing either of them knows is lost: solved or revealed
 * on either side stays so, the first solve time and the latest attempt time are kept, and the
 * attempt count is the larger (the same attempts may be in both, e.g. re-importing one's export).
 */
export function mergeExercise(a: ExerciseProgress, b: ExerciseProgress): ExerciseProgress {
  const merged: ExerciseProgress = {
    attempts: Math.max(a.attempts, b.attempts),
    solved: a.solved || b.solved,
    revealed: a.revealed || b.revealed,
  };
  const solvedAt = earlier(a.solved ? a.solvedAt : undefined, b.solved ? b.solvedAt : undefined);
  if (merged.solved && solvedAt !== undefined) merged.solvedAt = solvedAt;
  const lastAttemptAt = later(a.lastAttemptAt, b.lastAttemptAt);
  if (lastAttemptAt !== undefined) merged.lastAttemptAt = lastAttemptAt;
  return merged;
}

export function mergeChapter(a: ChapterProgress, b: ChapterProgress): ChapterProgress {
  const read = a.read || b.read;
  const readAt = earlier(a.read ? a.readAt : undefined, b.read ? b.readAt : undefined);
  return read && readAt !== undefined ? { read, readAt } : { read };
}

export interface MergeReport {
  /** Entries only the imported file had. */
  added: number;
  /** Entries both had, where the import brought something new (a solve, a later attempt, ...). */
  updated: number;
  /** Entries both had, already up to date. */
  unchanged: number;
  /** Entries only this browser had (kept as they are). */
  keptLocal: number;
}

/** Equal entries, whatever order their fields were written in. */
function sameEntry(a: object, b: object): boolean {
  const canonical = (entry: object) => JSON.stringify(Object.entries(entry).sort(([x], [y]) => (x < y ? -1 : 1)));
  return canonical(a) === canonical(b);
}

/** Merges imported progress into the current progress; nothing is dropped from either side. */
export function mergeProgress(current: ProgressData, incoming: ProgressData): { data: ProgressData; report: MergeReport } {
  const data = emptyProgress();
  const report: MergeReport = { added: 0, updated: 0, unchanged: 0, keptLocal: 0 };
  const mergeTable = <T extends object>(mine: Record<string, T>, theirs: Record<string, T>, into: Record<string, T>, merge: (a: T, b: T) => T) => {
    for (const [key, entry] of Object.entries(mine)) {
      if (!(key in theirs)) {
        into[key] = entry;
        report.keptLocal++;
      }
    }
    for (const [key, entry] of Object.entries(theirs)) {
      if (!(key in mine)) {
        into[key] = entry;
        report.added++;
        continue;
      }
      const merged = merge(mine[key], entry);
      into[key] = merged;
      if (sameEntry(merged, mine[key])) report.unchanged++;
      else report.updated++;
    }
  };
  mergeTable(current.exercises, incoming.exercises, data.exercises, mergeExercise);
  mergeTable(current.chapters, incoming.chapters, data.chapters, mergeChapter);
  return { data, report };
}

// ---------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------

/** The part of the Web Storage API the store uses (window.localStorage, or a fake in tests). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export type ProgressNotice =
  /** Stored data could not be used; it was kept under `backupKey` (or left in place when even that failed). */
  | { kind: 'set-aside'; reason: SetAsideReason; detail: string; backupKey?: string }
  /** Progress works for this visit but is not saved. */
  | { kind: 'not-kept'; detail: string };

/** Returns window.localStorage when it can be used, else null (private modes, blocked storage). */
export function browserStorage(): StorageLike | null {
  try {
    const storage = globalThis.localStorage;
    if (!storage) return null;
    const probe = `${PROGRESS_KEY}:probe`;
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return storage;
  } catch {
    return null;
  }
}

function describeWriteError(error: unknown): string {
  const name = error instanceof Error || (typeof error === 'object' && error !== null && 'name' in error) ? String((error as { name: unknown }).name) : '';
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED'
    ? 'your browser’s storage for this site is full'
    : 'your browser refused to save it';
}

export class ProgressStore {
  private current: ProgressData = emptyProgress();
  private readonly listeners = new Set<(data: ProgressData) => void>();
  /** Set when the main key holds data we could not back up: never overwrite it. */
  private mainKeyProtected = false;
  notices: ProgressNotice[] = [];

  constructor(
    private readonly storage: StorageLike | null,
    private readonly now: () => Date = () => new Date(),
    private readonly migrations: Record<number, Migration> = MIGRATIONS,
  ) {
    if (storage === null) {
      this.notices.push({ kind: 'not-kept', detail: 'this browser does not let the page store data (a private window, or storage turned off)' });
      return;
    }
    let raw: string | null = null;
    try {
      raw = storage.getItem(PROGRESS_KEY);
    } catch {
      this.notices.push({ kind: 'not-kept', detail: 'this browser does not let the page read stored data' });
      return;
    }
    const read = parseProgress(raw, this.migrations);
    this.current = read.data;
    if (read.kind === 'set-aside') this.setAside(raw as string, read.reason, read.detail);
    else if (read.kind === 'ok' && read.migratedFrom !== undefined) this.persist();
  }

  /** Keeps unreadable data under a backup key, so nothing the reader had is ever deleted. */
  private setAside(raw: string, reason: SetAsideReason, detail: string): void {
    const backupKey = `${BACKUP_KEY_PREFIX}${this.now().toISOString()}`;
    try {
      this.storage?.setItem(backupKey, raw);
      this.notices.push({ kind: 'set-aside', reason, detail, backupKey });
      // Write what was salvaged (possibly nothing), so the main key is readable again.
      this.persist();
    } catch (error) {
      this.mainKeyProtected = true;
      this.notices.push({ kind: 'set-aside', reason, detail });
      this.notices.push({ kind: 'not-kept', detail: `${describeWriteError(error)}, and the unreadable data is left untouched` });
    }
  }

  /** True while progress is being saved (no 'not-kept' notice). */
  get persistent(): boolean {
    return !this.notices.some((notice) => notice.kind === 'not-kept');
  }

  get data(): ProgressData {
    return this.current;
  }

  subscribe(listener: (data: ProgressData) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this.current);
  }

  private persist(): void {
    if (this.storage === null || this.mainKeyProtected) return;
    try {
      this.storage.setItem(PROGRESS_KEY, JSON.stringify(this.current));
      // A write that works again (space freed) lifts an earlier "not kept" notice.
      this.notices = this.notices.filter((notice) => notice.kind !== 'not-kept');
    } catch (error) {
      if (!this.notices.some((notice) => notice.kind === 'not-kept')) {
        this.notices.push({ kind: 'not-kept', detail: describeWriteError(error) });
      }
    }
  }

  private update(change: (data: ProgressData) => ProgressData): void {
    this.current = change(this.current);
    this.persist();
    this.notify();
  }

  exercise(id: string): ExerciseProgress | undefined {
    return this.current.exercises[id];
  }

  /** Records one checked answer. The first correct one sets solvedAt. */
  recordAttempt(id: string, correct: boolean): void {
    const time = this.now().toISOString();
    this.update((data) => {
      const before = data.exercises[id] ?? { attempts: 0, solved: false, revealed: false };
      const entry: ExerciseProgress = { ...before, attempts: before.attempts + 1, lastAttemptAt: time };
      if (correct && !before.solved) {
        entry.solved = true;
        entry.solvedAt = time;
      }
      return { ...data, exercises: { ...data.exercises, [id]: entry } };
    });
  }

  recordRevealed(id: string): void {
    this.update((data) => {
      const before = data.exercises[id] ?? { attempts: 0, solved: false, revealed: false };
      return { ...data, exercises: { ...data.exercises, [id]: { ...before, revealed: true } } };
    });
  }

  markChapterRead(slug: string): void {
    if (this.current.chapters[slug]?.read) return;
    const readAt = this.now().toISOString();
    this.update((data) => ({ ...data, chapters: { ...data.chapters, [slug]: { read: true, readAt } } }));
  }

  /** Merges an imported file's text; returns the report or a message saying why nothing changed. */
  importText(raw: string): { ok: true; report: MergeReport } | { ok: false; message: string } {
    const read = parseProgress(raw, this.migrations);
    if (read.kind === 'empty') return { ok: false, message: 'The file is empty.' };
    if (read.kind === 'set-aside' && read.reason !== 'partly-corrupt') {
      return { ok: false, message: `Nothing was imported: ${read.detail}.` };
    }
    const { data, report } = mergeProgress(this.current, read.data);
    this.update(() => data);
    return { ok: true, report };
  }

  /** The export file's text: the stored format plus when it was exported. */
  exportText(): string {
    return JSON.stringify({ ...this.current, exportedAt: this.now().toISOString() }, null, 2);
  }

  /** Forgets all progress (backups of set-aside data stay). */
  reset(): void {
    this.mainKeyProtected = false;
    this.update(() => emptyProgress());
  }

  /** Another tab changed the stored progress ('storage' event): take its value without writing back. */
  receiveExternalChange(newValue: string | null): void {
    const read = parseProgress(newValue, this.migrations);
    // A tab running newer code may write a format this one cannot read: keep ours rather than lose it.
    if (read.kind === 'set-aside' && read.reason !== 'partly-corrupt') return;
    this.current = read.data;
    this.notify();
  }
}
