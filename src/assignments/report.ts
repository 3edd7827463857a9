/**
 * A student's completion report: what they did on an assignment's exercises, read from their
 * progress, written as a JSON file with a SHA-256 checksum of its content. The checksum catches
 * accidental damage (a truncated download, an editor's re-encoding), not deliberate editing:
 * reports are self-reported, and the class page says so. Pure (Web Crypto only).
 */
import type { ProgressData } from '~/exercises/progress-store';
import { assignedExercises, type ResolvedAssignment } from './catalogue';
import { fileNamePart } from './file-name';
import { sha256Hex, type Assignment } from './link';

export const REPORT_FORMAT = 'skipcourse-assignment-report';
export const REPORT_VERSION = 1;
/** A report of every exercise in the course is a few tens of KB; anything far larger is not one. */
export const REPORT_MAX_BYTES = 512 * 1024;
export const NAME_MAX = 100;

export interface ReportExercise {
  id: string;
  title: string;
  chapter: string;
  solved: boolean;
  solvedAt?: string;
  attempts: number;
  revealed: boolean;
}

export interface ReportBody {
  assignment: { id: string; title: string };
  student: string;
  createdAt: string;
  exercises: ReportExercise[];
  chapters: { slug: string; title: string; read: boolean; readAt?: string }[];
}

export interface ReportFile {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  body: ReportBody;
  /** "sha256:<hex>" of JSON.stringify(body). */
  checksum: string;
}

/** The report's content for this student's progress. */
export function buildReport(
  assignment: Pick<Assignment, 'id' | 'title'>,
  resolved: ResolvedAssignment,
  progress: ProgressData,
  student: string,
  now: Date = new Date(),
): ReportBody {
  return {
    assignment: { id: assignment.id, title: assignment.title },
    student: student.trim().slice(0, NAME_MAX),
    createdAt: now.toISOString(),
    exercises: assignedExercises(resolved).map(({ chapter, exercise }) => {
      const entry = progress.exercises[exercise.id];
      const row: ReportExercise = {
        id: exercise.id,
        title: exercise.title,
        chapter: chapter.slug,
        solved: entry?.solved ?? false,
        attempts: entry?.attempts ?? 0,
        revealed: entry?.revealed ?? false,
      };
      if (entry?.solved && entry.solvedAt) row.solvedAt = entry.solvedAt;
      return row;
    }),
    chapters: resolved.chapters.map(({ chapter }) => {
      const entry = progress.chapters[chapter.slug];
      return entry?.read && entry.readAt
        ? { slug: chapter.slug, title: chapter.title, read: true, readAt: entry.readAt }
        : { slug: chapter.slug, title: chapter.title, read: entry?.read ?? false };
    }),
  };
}

export async function reportChecksum(body: ReportBody): Promise<string> {
  return `sha256:${await sha256Hex(JSON.stringify(body))}`;
}

/** The file's text. */
export async function serializeReport(body: ReportBody): Promise<string> {
  const file: ReportFile = { format: REPORT_FORMAT, version: REPORT_VERSION, body, checksum: await reportChecksum(body) };
  return JSON.stringify(file, null, 1);
}

/** A safe file name: "report-<assignment>-<student>.json". */
export function reportFileName(body: ReportBody): string {
  return `report-${fileNamePart(body.assignment.title, 40) || 'assignment'}-${fileNamePart(body.student, 40) || 'student'}.json`;
}

// ---------------------------------------------------------------------------------------------
// Reading a report (the class page)
// ---------------------------------------------------------------------------------------------

export type ReportRead = { ok: true; body: ReportBody } | { ok: false; reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isShortString = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;
const isTime = (value: unknown): value is string => isShortString(value, 40) && !Number.isNaN(Date.parse(value));

function readExercise(value: unknown): ReportExercise | undefined {
  if (!isRecord(value)) return undefined;
  const { id, title, chapter, solved, solvedAt, attempts, revealed } = value;
  if (!isShortString(id, 100) || !isShortString(title, 300) || !isShortString(chapter, 100)) return undefined;
  if (typeof solved !== 'boolean' || typeof revealed !== 'boolean') return undefined;
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 0 || attempts > 1e9) return undefined;
  if (solvedAt !== undefined && !isTime(solvedAt)) return undefined;
  const exercise: ReportExercise = { id, title, chapter, solved, attempts, revealed };
  if (solvedAt !== undefined) exercise.solvedAt = solvedAt;
  return exercise;
}

function readChapter(value: unknown): ReportBody['chapters'][number] | undefined {
  if (!isRecord(value)) return undefined;
  const { slug, title, read, readAt } = value;
  if (!isShortString(slug, 100) || !isShortString(title, 300) || typeof read !== 'boolean') return undefined;
  if (readAt !== undefined && !isTime(readAt)) return undefined;
  return readAt === undefined ? { slug, title, read } : { slug, title, read, readAt };
}

/** The body in the exact shape this version writes (so its checksum is recomputed over the same text), or undefined. */
function readBody(value: unknown): ReportBody | undefined {
  if (!isRecord(value)) return undefined;
  const { assignment, student, createdAt, exercises, chapters } = value;
  if (!isRecord(assignment) || !isShortString(assignment.id, 40) || !isShortString(assignment.title, 300)) return undefined;
  if (!isShortString(student, NAME_MAX) || !isTime(createdAt) || !Array.isArray(exercises) || !Array.isArray(chapters)) return undefined;
  const readExercises = exercises.map(readExercise);
  const readChapters = chapters.map(readChapter);
  if (readExercises.some((entry) => entry === undefined) || readChapters.some((entry) => entry === undefined)) return undefined;
  return {
    assignment: { id: assignment.id, title: assignment.title },
    student,
    createdAt,
    exercises: readExercises.filter((entry): entry is ReportExercise => entry !== undefined),
    chapters: readChapters.filter((entry): entry is ReportBody['chapters'][number] => entry !== undefined),
  };
}

/** Why a report for another assignment is turned away. */
export function otherAssignmentReason(reportTitle: string, expectedTitle: string): string {
  return `it is for another assignment (“${reportTitle.slice(0, 80)}”), not “${expectedTitle.slice(0, 80)}”`;
}

/**
 * Reads a report file's text. `expectedAssignment` (an id) rejects reports for another
 * assignment. Never throws; a rejection says why in a sentence.
 */
export async function parseReport(text: string, expectedAssignment?: { id: string; title: string }): Promise<ReportRead> {
  if (text.length > REPORT_MAX_BYTES) return { ok: false, reason: 'it is far too large to be a report' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: text.trimStart().startsWith('{') ? 'it is damaged (cut short or changed: it is not valid JSON any more)' : 'it is not a report file (not JSON)' };
  }
  if (!isRecord(parsed) || parsed.format !== REPORT_FORMAT) {
    return { ok: false, reason: isRecord(parsed) && parsed.version !== undefined && parsed.exercises !== undefined ? 'it is a progress export, not an assignment report' : 'it is not a report file from this course' };
  }
  if (typeof parsed.version !== 'number' || parsed.version > REPORT_VERSION) {
    return { ok: false, reason: `it was written by a newer version of the course (format ${String(parsed.version)})` };
  }
  const body = readBody(parsed.body);
  if (!body) return { ok: false, reason: 'it is damaged: some of its content is missing or malformed' };
  if (typeof parsed.checksum !== 'string' || parsed.checksum !== (await reportChecksum(body))) {
    return { ok: false, reason: 'it is damaged: its checksum does not match its content (the file was changed or corrupted after it was downloaded)' };
  }
  if (expectedAssignment && body.assignment.id !== expectedAssignment.id) {
    return { ok: false, reason: otherAssignmentReason(body.assignment.title, expectedAssignment.title) };
  }
  return { ok: true, body };
}
