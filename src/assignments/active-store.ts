/**
 * The assignments a student has opened and not dismissed, kept in localStorage as their links'
 * fragments (read again with decodeAssignment wherever they are shown, so there is one reader).
 * No DOM beyond the Storage interface, so it runs under vitest with a fake storage.
 */
import type { StorageLike } from '~/exercises/progress-store';

export const ACTIVE_KEY = 'skipcourse:assignments';
/** Oldest ones beyond this are forgotten. */
export const MAX_ACTIVE = 20;

export interface ActiveAssignment {
  id: string;
  fragment: string;
  /** ISO time the student first opened it. */
  openedAt: string;
}

function isActive(value: unknown): value is ActiveAssignment {
  if (typeof value !== 'object' || value === null) return false;
  const { id, fragment, openedAt } = value as Record<string, unknown>;
  return typeof id === 'string' && typeof fragment === 'string' && typeof openedAt === 'string' && fragment.length < 20000;
}

/** The active assignments, newest first; unreadable storage reads as none. */
export function readActive(storage: StorageLike | null): ActiveAssignment[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(ACTIVE_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isActive) : [];
  } catch {
    return [];
  }
}

function write(storage: StorageLike | null, list: ActiveAssignment[]): boolean {
  try {
    storage?.setItem(ACTIVE_KEY, JSON.stringify(list));
    return storage !== null;
  } catch {
    return false;
  }
}

/**
 * Keeps an opened assignment (a newer link for the same assignment replaces the older one, and
 * keeps when it was first opened). Returns false when the browser does not let it be kept.
 */
export function addActive(storage: StorageLike | null, id: string, fragment: string, now: Date = new Date()): boolean {
  const list = readActive(storage);
  const earlier = list.find((entry) => entry.id === id);
  const entry: ActiveAssignment = { id, fragment, openedAt: earlier?.openedAt ?? now.toISOString() };
  return write(storage, [entry, ...list.filter((other) => other.id !== id)].slice(0, MAX_ACTIVE));
}

export function dismissActive(storage: StorageLike | null, id: string): void {
  write(
    storage,
    readActive(storage).filter((entry) => entry.id !== id),
  );
}
