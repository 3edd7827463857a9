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
export type SetAsideReason = 'corrupt' | 'foreign' | 'newer' | 'partly-corrupt' | 'unknown-fields';

/** An entry that could not be read (and was left out), and why. */
export interface SkippedEntry {
  /** The exercise id or chapter slug it was stored under. */
  id: string;
  reason: string;
  /** It said it was solved (or read): the reader may miss it. */
  markedSolved: boolean;
}

export type ProgressRead =
  | { kind: 'empty'; data: ProgressData }
  | { kind: 'ok'; data: ProgressData; migratedFrom?: number }
  /** Unusable as a whole or in part: `data` holds whatever could be salvaged (often nothing). */
  | { kind: 'set-aside'; reason: SetAsideReason; data: ProgressData; detail: string; skipped?: SkippedEntry[] };

/** Upgrades data of version N to N + 1. The course is at version 1, so none exist yet. */
export type Migration = (old: Record<string, unknown>) => Record<string, unknown>;
export const MIGRATIONS: Record<number, Migration> = {};

const ID_KEY = /^[a-z0-9][a-z0-9-]{0,99}$/;
/** The fields this version writes; any other is kept aside rather than dropped unnoticed. */
const TOP_FIELDS = new Set(['version', 'exercises', 'chapters', 'exportedAt']);
const EXERCISE_FIELDS = new Set(['attempts', 'solved', 'solvedAt', 'revealed', 'lastAttemptAt']);
const CHAPTER_FIELDS = new Set(['read', 'readAt']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value));
}

/** An entry, or why it cannot be read. */
type EntryRead<T> = { ok: true; entry: T } | { ok: false; reason: string };

function readExercise(value: unknown): EntryRead<ExerciseProgress> {
  if (!isRecord(value)) return { ok: false, reason: 'it is not a record of attempts' };
  const { attempts, solved, solvedAt, revealed, lastAttemptAt } = value;
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 0 || attempts > 1e9) {
    return { ok: false, reason: 'its attempt count is not a whole number from 0 up' };
  }
  if (typeof solved !== 'boolean' || typeof revealed !== 'boolean') return { ok: false, reason: '“solved” or “revealed” is not true or false' };
  if ((solvedAt !== undefined && !isIsoTime(solvedAt)) || (lastAttemptAt !== undefined && !isIsoTime(lastAttemptAt))) {
    return { ok: false, reason: 'one of its dates cannot be read' };
  }
  const entry: ExerciseProgress = { attempts, solved, revealed };
  if (solvedAt !== undefined) entry.solvedAt = solvedAt;
  if (lastAttemptAt !== undefined) entry.lastAttemptAt = lastAttemptAt;
  return { ok: true, entry };
}

function readChapter(value: unknown): EntryRead<ChapterProgress> {
  if (!isRecord(value)) return { ok: false, reason: 'it is not a record of reading' };
  const { read, readAt } = value;
  if (typeof read !== 'boolean') return { ok: false, reason: '“read” is not true or false' };
  if (readAt !== undefined && !isIsoTime(readAt)) return { ok: false, reason: 'its date cannot be read' };
  return { ok: true, entry: readAt === undefined ? { read } : { read, readAt } };
}

/** Field names of `value` (when it is a record) that are not in `known`. */
function unknownFields(value: unknown, known: ReadonlySet<string>): string[] {
  return isRecord(value) ? Object.keys(value).filter((field) => !known.has(field)) : [];
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
  const skipped: SkippedEntry[] = [];
  const unknown = new Set(unknownFields(current, TOP_FIELDS));
  const readTable = <T>(
    table: Record<string, unknown>,
    into: Record<string, T>,
    read: (value: unknown) => EntryRead<T>,
    known: ReadonlySet<string>,
    idName: string,
    doneField: string,
  ) => {
    for (const [id, value] of Object.entries(table)) {
      const result: EntryRead<T> = ID_KEY.test(id) ? read(value) : { ok: false, reason: `it is not ${idName} this course uses` };
      if (result.ok) {
        into[id] = result.entry;
        for (const field of unknownFields(value, known)) unknown.add(field);
      } else {
        skipped.push({ id, reason: result.reason, markedSolved: isRecord(value) && value[doneField] === true });
      }
    }
  };
  readTable(current.exercises, data.exercises, readExercise, EXERCISE_FIELDS, 'an exercise id', 'solved');
  readTable(current.chapters, data.chapters, readChapter, CHAPTER_FIELDS, 'a chapter name', 'read');
  if (skipped.length > 0) {
    const count = skipped.length;
    return { kind: 'set-aside', reason: 'partly-corrupt', data, detail: `${count} saved ${count === 1 ? 'entry was' : 'entries were'} unreadable`, skipped };
  }
  if (unknown.size > 0) {
    const fields = [...unknown].slice(0, 5).map((field) => `“${field.slice(0, 40)}”`).join(', ');
    return {
      kind: 'set-aside',
      reason: 'unknown-fields',
      data,
      detail: `the saved progress has fields this version of the course does not know (${fields}${unknown.size > 5 ? ', …' : ''})`,
    };
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
  /**
   * Progress is not saved in this browser. With `keptForTab` it is kept for this tab (session
   * storage) and survives moving between pages until the tab is closed; without, only this page has it.
   */
  | { kind: 'not-kept'; detail: string; keptForTab: boolean };

/**
 * Returns window.localStorage (or, with 'session', window.sessionStorage) when it can be used,
 * else null (private modes, blocked storage).
 */
export function browserStorage(kind: 'local' | 'session' = 'local'): StorageLike | null {
  try {
    const storage = kind === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
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

  /**
   * `storage` keeps progress (localStorage); `tabStorage` (sessionStorage) keeps it for the tab
   * while `storage` cannot, so it survives moving to another page of the course.
   */
  constructor(
    private readonly storage: StorageLike | null,
    private readonly now: () => Date = () => new Date(),
    private readonly migrations: Record<number, Migration> = MIGRATIONS,
    private readonly tabStorage: StorageLike | null = null,
  ) {
    if (storage === null) {
      this.notKept('this browser does not let the page store data (a private window, or storage turned off)', tabStorage !== null);
      this.takeTabCopy();
      return;
    }
    let raw: string | null = null;
    try {
      raw = storage.getItem(PROGRESS_KEY);
    } catch {
      this.notKept('this browser does not let the page read stored data', tabStorage !== null);
      this.takeTabCopy();
      return;
    }
    const read = parseProgress(raw, this.migrations);
    this.current = read.data;
    if (read.kind === 'set-aside') this.setAside(raw as string, read.reason, read.detail);
    else if (read.kind === 'ok' && read.migratedFrom !== undefined) this.persist();
    if (this.takeTabCopy()) this.persist();
  }

  /** Merges in what an earlier page of this tab kept while storage failed; true if there was any. */
  private takeTabCopy(): boolean {
    let raw: string | null = null;
    try {
      raw = this.tabStorage?.getItem(PROGRESS_KEY) ?? null;
    } catch {
      return false;
    }
    const read = parseProgress(raw, this.migrations);
    if (read.kind !== 'ok') return false;
    this.current = mergeProgress(this.current, read.data).data;
    return true;
  }

  /** Writes the progress for this tab; false when even that fails. */
  private writeTabCopy(): boolean {
    if (this.tabStorage === null) return false;
    try {
      this.tabStorage.setItem(PROGRESS_KEY, JSON.stringify(this.current));
      return true;
    } catch {
      return false;
    }
  }

  /** Sets the one 'not-kept' notice. */
  private notKept(detail: string, keptForTab: boolean): void {
    this.notices = [...this.notices.filter((notice) => notice.kind !== 'not-kept'), { kind: 'not-kept', detail, keptForTab }];
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
      this.notKept(`${describeWriteError(error)}, and the unreadable data is left untouched`, this.writeTabCopy());
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

  /**
   * Saves the progress. Another tab may have saved since this one last read (its storage event
   * not here yet): what is stored is merged in first, so one tab's answer never overwrites
   * another's. A reset passes `merge = false`, as it means to forget. When saving fails, the tab
   * copy keeps the progress for the rest of the visit.
   */
  private persist(merge = true): void {
    if (this.storage === null || this.mainKeyProtected) {
      this.writeTabCopy();
      return;
    }
    try {
      if (merge) {
        const stored = parseProgress(this.storage.getItem(PROGRESS_KEY), this.migrations);
        if (stored.kind === 'ok') this.current = mergeProgress(stored.data, this.current).data;
      }
      this.storage.setItem(PROGRESS_KEY, JSON.stringify(this.current));
      // A write that works again (space freed) lifts an earlier "not kept" notice.
      this.notices = this.notices.filter((notice) => notice.kind !== 'not-kept');
      this.clearTabCopy();
    } catch (error) {
      this.notKept(describeWriteError(error), this.writeTabCopy());
    }
  }

  /** Everything is saved again: the tab copy is no longer needed (and must not outlive a reset). */
  private clearTabCopy(): void {
    try {
      if (this.tabStorage?.getItem(PROGRESS_KEY)) this.tabStorage.setItem(PROGRESS_KEY, '');
    } catch {
      // Nothing to clear in a storage that cannot be used.
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

  /**
   * Merges an imported file's text; returns the report (with the entries it had to skip, and a
   * note on fields it does not know) or a message saying why nothing changed.
   */
  importText(
    raw: string,
  ): { ok: true; report: MergeReport; skipped: SkippedEntry[]; ignoredFields?: string } | { ok: false; message: string } {
    const read = parseProgress(raw, this.migrations);
    if (read.kind === 'empty') return { ok: false, message: 'The file is empty.' };
    if (read.kind === 'set-aside' && read.reason !== 'partly-corrupt' && read.reason !== 'unknown-fields') {
      return { ok: false, message: `Nothing was imported: ${read.detail}.` };
    }
    const { data, report } = mergeProgress(this.current, read.data);
    this.update(() => data);
    const skipped = read.kind === 'set-aside' ? (read.skipped ?? []) : [];
    return read.kind === 'set-aside' && read.reason === 'unknown-fields'
      ? { ok: true, report, skipped, ignoredFields: read.detail }
      : { ok: true, report, skipped };
  }

  /** The export file's text: the stored format plus when it was exported. */
  exportText(): string {
    return JSON.stringify({ ...this.current, exportedAt: this.now().toISOString() }, null, 2);
  }

  /** Forgets all progress (backups of set-aside data stay). */
  reset(): void {
    this.mainKeyProtected = false;
    this.current = emptyProgress();
    this.persist(false);
    this.notify();
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
