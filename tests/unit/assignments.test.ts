/**
 * Assignment links (round trip, cut and changed links, size limits), completion reports (checksum,
 * rejections), the class table's CSV, and the Common Cartridge manifest's required structure.
 */
import { describe, expect, it } from 'vitest';
import { DOMParser } from '@xmldom/xmldom';
import { unzipSync, strFromU8 } from 'fflate';
import { addActive, dismissActive, readActive } from '~/assignments/active-store';
import { resolveAssignment, type Catalogue } from '~/assignments/catalogue';
import { buildClassTable, classTableToCSV, csvCell, sortRows } from '~/assignments/class-table';
import { CC_NAMESPACE, cartridgeFiles, WEBLINK_NAMESPACE, WEBLINK_TYPE, zipCartridge } from '~/assignments/cartridge';
import { decodeAssignment, encodeAssignment, LIMITS, newAssignmentId, type Assignment } from '~/assignments/link';
import { buildReport, parseReport, REPORT_MAX_BYTES, serializeReport, type ReportBody } from '~/assignments/report';
import { emptyProgress, type ProgressData } from '~/exercises/progress-store';

const catalogue: Catalogue = [
  { slug: 'backprop', number: 1, title: 'Backpropagation', exercises: [{ id: 'bp-one', title: 'One' }, { id: 'bp-two', title: 'Two' }] },
  { slug: 'residual', number: 4, title: 'Residual connections', exercises: [{ id: 'res-a', title: 'A' }, { id: 'res-b', title: 'B' }, { id: 'res-c', title: 'C' }] },
];

const assignment: Assignment = {
  id: 'abc123xyz0',
  title: 'Week 6: résidual & <b>skips</b> = fun?',
  due: '2026-12-10',
  notes: 'Read chapter 4.\n\nThen: <script>alert(1)</script> & try the lab, 100% of it; a=b&c=d #not-a-fragment',
  chapters: ['backprop'],
  exercises: ['res-b', 'res-c'],
  presets: [{ chapter: 'residual', widget: 'residual-lab', settings: { depths: '2,8,16,32', lr: 0.05, bn: true }, hidden: ['depths'] }],
};

async function fragmentOf(value: Assignment): Promise<string> {
  const encoded = await encodeAssignment(value);
  if (!encoded.ok) throw new Error(encoded.message);
  return encoded.fragment;
}

describe('assignment links', () => {
  it('round-trips every field, including text that looks like markup or query syntax', async () => {
    const fragment = await fragmentOf(assignment);
    const decoded = await decodeAssignment(`#${fragment}`);
    expect(decoded.problems).toEqual([]);
    expect(decoded.status).toBe('ok');
    expect(decoded.assignment).toEqual(assignment);
  });

  it('makes ids that links accept', async () => {
    const id = newAssignmentId();
    expect(id).toMatch(/^[a-z0-9]{10}$/);
    expect((await decodeAssignment(await fragmentOf({ ...assignment, id }))).assignment.id).toBe(id);
  });

  it('says a cut link is cut short, and keeps the fields before the cut', async () => {
    const fragment = await fragmentOf(assignment);
    const cut = fragment.slice(0, fragment.indexOf('&n=') + 8);
    const decoded = await decodeAssignment(cut);
    expect(decoded.status).toBe('damaged');
    expect(decoded.problems[0]).toMatch(/cut short/);
    expect(decoded.assignment.title).toBe(assignment.title);
    expect(decoded.assignment.chapters).toEqual(assignment.chapters);
    expect(decoded.assignment.exercises).toEqual(assignment.exercises);
    expect(decoded.assignment.notes).toBe(assignment.notes.slice(0, 5));
  });

  it('says a changed link has been changed, and still shows what it says', async () => {
    const fragment = await fragmentOf(assignment);
    const tampered = fragment.replace('res-b', 'res-a');
    const decoded = await decodeAssignment(tampered);
    expect(decoded.status).toBe('damaged');
    expect(decoded.problems.join(' ')).toMatch(/changed since it was made/);
    expect(decoded.assignment.exercises).toEqual(['res-a', 'res-c']);
  });

  it('reads the assignment’s own part when something was appended to the link', async () => {
    const decoded = await decodeAssignment(`${await fragmentOf(assignment)}&utm_source=mail`);
    expect(decoded.status).toBe('ok');
    expect(decoded.assignment.notes).toBe(assignment.notes);
  });

  it('leaves out malformed ids and presets, saying how many', async () => {
    const body = new URLSearchParams({ t: 'T', c: 'backprop,Bad Slug!,residual', p: JSON.stringify([['residual', 'lab', { depth: 30 }, ['depth']], ['residual', 'lab2', { '__proto__x': 1 }, []], 'junk']) }).toString();
    const { shortChecksum } = await import('~/assignments/link');
    const decoded = await decodeAssignment(`v=1&id=abcdef1234&len=${body.length}&sum=${await shortChecksum(body)}&${body}`);
    expect(decoded.assignment.chapters).toEqual(['backprop', 'residual']);
    expect(decoded.assignment.presets).toEqual([{ chapter: 'residual', widget: 'lab', settings: { depth: 30 }, hidden: ['depth'] }]);
    expect(decoded.problems).toEqual([
      '1 chapter or exercise name in the link could not be read and was left out.',
      '2 widget presets in the link could not be read and were left out.',
    ]);
  });

  it('does not read what is not an assignment link, or a newer format, or a huge one', async () => {
    expect((await decodeAssignment('')).status).toBe('unreadable');
    expect((await decodeAssignment('#section-2')).problems[0]).toMatch(/not an assignment link/);
    expect((await decodeAssignment('v=2&whatever')).problems[0]).toMatch(/newer version/);
    expect((await decodeAssignment('v=1&id=x')).problems[0]).toMatch(/damaged at its start/);
    const huge = await decodeAssignment(`v=1&${'x'.repeat(LIMITS.fragmentRead)}`);
    expect(huge.status).toBe('unreadable');
    expect(huge.problems[0]).toMatch(/far longer than any assignment link/);
  });

  it('refuses to make a link that is too long, or empty, with a reason', async () => {
    const many = Array.from({ length: 300 }, (_, index) => `exercise-with-a-long-name-${index}`);
    const tooLong = await encodeAssignment({ ...assignment, exercises: many });
    expect(tooLong.ok).toBe(false);
    if (!tooLong.ok) expect(tooLong.message).toMatch(/characters long, more than the 6,000/);
    const noTitle = await encodeAssignment({ ...assignment, title: ' ' });
    expect(noTitle).toEqual({ ok: false, message: 'Give the assignment a title.' });
    const notesTooLong = await encodeAssignment({ ...assignment, notes: 'x'.repeat(LIMITS.notes + 1) });
    expect(notesTooLong.ok).toBe(false);
    const nothing = await encodeAssignment({ ...assignment, chapters: [], exercises: [] });
    expect(nothing).toEqual({ ok: false, message: 'Pick at least one chapter or exercise.' });
    expect((await encodeAssignment({ ...assignment, due: '2026-02-30' })).ok).toBe(false);
  });

  it('resolves chapters and exercises in course order, naming the unknown ones', () => {
    const resolved = resolveAssignment({ chapters: ['residual', 'gone'], exercises: ['bp-two', 'old-one'] }, catalogue);
    expect(resolved.chapters.map((item) => [item.chapter.slug, item.whole, item.exercises.map((exercise) => exercise.id)])).toEqual([
      ['backprop', false, ['bp-two']],
      ['residual', true, ['res-a', 'res-b', 'res-c']],
    ]);
    expect(resolved.unknownChapters).toEqual(['gone']);
    expect(resolved.unknownExercises).toEqual(['old-one']);
  });
});

describe('active assignments', () => {
  it('keeps opened assignments newest first, replaces a newer link of the same one and dismisses', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (key: string) => store.get(key) ?? null, setItem: (key: string, value: string) => void store.set(key, value) };
    addActive(storage, 'aaaaaa', 'v=1&one', new Date('2026-12-01T10:00:00Z'));
    addActive(storage, 'bbbbbb', 'v=1&two', new Date('2026-12-02T10:00:00Z'));
    addActive(storage, 'aaaaaa', 'v=1&one-edited', new Date('2026-12-03T10:00:00Z'));
    expect(readActive(storage)).toEqual([
      { id: 'aaaaaa', fragment: 'v=1&one-edited', openedAt: '2026-12-01T10:00:00.000Z' },
      { id: 'bbbbbb', fragment: 'v=1&two', openedAt: '2026-12-02T10:00:00.000Z' },
    ]);
    dismissActive(storage, 'aaaaaa');
    expect(readActive(storage).map((entry) => entry.id)).toEqual(['bbbbbb']);
    store.set('skipcourse:assignments', '{not json');
    expect(readActive(storage)).toEqual([]);
  });
});

function progressWith(entries: ProgressData['exercises']): ProgressData {
  return { ...emptyProgress(), exercises: entries, chapters: { backprop: { read: true, readAt: '2026-12-01T09:00:00.000Z' } } };
}

async function reportFor(student: string, entries: ProgressData['exercises'], forAssignment = assignment, createdAt = '2026-12-05T12:00:00.000Z'): Promise<{ body: ReportBody; text: string }> {
  const body = buildReport(forAssignment, resolveAssignment(forAssignment, catalogue), progressWith(entries), student, new Date(createdAt));
  return { body, text: await serializeReport(body) };
}

describe('completion reports', () => {
  it('lists the assignment’s exercises with the student’s progress, and reads back', async () => {
    const { body, text } = await reportFor('  Ada Lovelace ', { 'res-b': { attempts: 3, solved: true, solvedAt: '2026-12-04T10:00:00.000Z', revealed: true } });
    expect(body.student).toBe('Ada Lovelace');
    expect(body.exercises.map((exercise) => [exercise.id, exercise.solved, exercise.attempts, exercise.revealed])).toEqual([
      ['bp-one', false, 0, false],
      ['bp-two', false, 0, false],
      ['res-b', true, 3, true],
      ['res-c', false, 0, false],
    ]);
    expect(body.exercises[2].solvedAt).toBe('2026-12-04T10:00:00.000Z');
    expect(body.chapters).toEqual([
      { slug: 'backprop', title: 'Backpropagation', read: true, readAt: '2026-12-01T09:00:00.000Z' },
      { slug: 'residual', title: 'Residual connections', read: false },
    ]);
    expect(await parseReport(text, assignment)).toEqual({ ok: true, body });
  });

  it('catches a changed or damaged file with its checksum', async () => {
    const { text } = await reportFor('Ada', { 'res-b': { attempts: 1, solved: false, revealed: false } });
    const edited = text.replace('"attempts": 1', '"attempts": 2');
    expect(edited).not.toBe(text);
    expect(await parseReport(edited)).toEqual({ ok: false, reason: expect.stringMatching(/checksum does not match/) });
    expect(await parseReport(text.slice(0, text.length - 40))).toEqual({ ok: false, reason: expect.stringMatching(/damaged \(cut short/) });
    const reindented = JSON.stringify(JSON.parse(text), null, 4);
    expect((await parseReport(reindented)).ok).toBe(true);
  });

  it('rejects other files with a reason each', async () => {
    const other = await reportFor('Ada', {}, { ...assignment, id: 'otherid999', title: 'Week 7' });
    expect(await parseReport(other.text, assignment)).toEqual({ ok: false, reason: `it is for another assignment (“Week 7”), not “${assignment.title}”` });
    expect(await parseReport('hello')).toEqual({ ok: false, reason: 'it is not a report file (not JSON)' });
    expect(await parseReport('{"version":1,"exercises":{},"chapters":{}}')).toEqual({ ok: false, reason: 'it is a progress export, not an assignment report' });
    expect(await parseReport('[1,2]')).toEqual({ ok: false, reason: 'it is not a report file from this course' });
    expect((await parseReport(' '.repeat(REPORT_MAX_BYTES + 1))).ok).toBe(false);
    const missing = JSON.parse((await reportFor('Ada', {})).text) as { body: { student?: string } };
    delete missing.body.student;
    expect(await parseReport(JSON.stringify(missing))).toEqual({ ok: false, reason: 'it is damaged: some of its content is missing or malformed' });
  });
});

describe('class table and CSV', () => {
  it('builds students × exercises with totals, keeps each student’s newest report, and sorts', async () => {
    const ada = await reportFor('Ada', { 'bp-one': { attempts: 1, solved: true, solvedAt: '2026-12-04T10:00:00.000Z', revealed: false }, 'res-b': { attempts: 4, solved: true, solvedAt: '2026-12-04T11:00:00.000Z', revealed: true } });
    const bob = await reportFor('Bob', { 'bp-one': { attempts: 2, solved: false, revealed: false } });
    const bobOld = await reportFor('bob ', {}, assignment, '2026-12-01T12:00:00.000Z');
    const table = buildClassTable([
      { file: 'bob-old.json', body: bobOld.body },
      { file: 'ada.json', body: ada.body },
      { file: 'bob.json', body: bob.body },
    ])!;
    expect(table.columns.map((column) => column.id)).toEqual(['bp-one', 'bp-two', 'res-b', 'res-c']);
    expect(table.rows.map((row) => [row.student, row.file, row.solved, row.attempts, row.revealed])).toEqual([
      ['Ada', 'ada.json', 2, 5, 1],
      ['Bob', 'bob.json', 0, 2, 0],
    ]);
    expect(table.solvedBy).toEqual({ 'bp-one': 1, 'bp-two': 0, 'res-b': 1, 'res-c': 0 });
    expect(sortRows(table.rows, { key: 'attempts', descending: false }).map((row) => row.student)).toEqual(['Bob', 'Ada']);
    expect(sortRows(table.rows, { key: 'student', descending: true }).map((row) => row.student)).toEqual(['Bob', 'Ada']);
    expect(sortRows(table.rows, { key: { exercise: 'bp-one' }, descending: true }).map((row) => row.student)).toEqual(['Ada', 'Bob']);

    const csv = classTableToCSV(table).split('\r\n');
    expect(csv[0]).toBe(
      'student,report_created,solved_total,exercises_total,attempts_total,solutions_revealed,bp-one solved,bp-one solved_at,bp-one attempts,bp-one revealed,bp-two solved,bp-two solved_at,bp-two attempts,bp-two revealed,res-b solved,res-b solved_at,res-b attempts,res-b revealed,res-c solved,res-c solved_at,res-c attempts,res-c revealed',
    );
    expect(csv[1]).toBe('Ada,2026-12-05T12:00:00.000Z,2,4,5,1,yes,2026-12-04T10:00:00.000Z,1,no,no,,0,no,yes,2026-12-04T11:00:00.000Z,4,yes,no,,0,no');
    expect(csv[3]).toBe('');
  });

  it('quotes CSV cells and never lets a name run as a spreadsheet formula', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('Lovelace, Ada')).toBe('"Lovelace, Ada"');
    expect(csvCell('say "hi"\nthere')).toBe('"say ""hi""\nthere"');
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe('-3');
  });
});

describe('Common Cartridge', () => {
  const origin = 'https://course.example.org';
  const url = `${origin}/assignment/#v=1&id=abc`;
  const files = cartridgeFiles({ assignment, resolved: resolveAssignment(assignment, catalogue), origin, assignmentUrl: url });

  function parseXml(text: string): Document {
    const errors: string[] = [];
    const document = new DOMParser({ onError: (level, message) => void errors.push(`${level}: ${message}`) }).parseFromString(text, 'text/xml');
    expect(errors).toEqual([]);
    return document as unknown as Document;
  }

  const children = (node: Element, name: string) => [...(node.childNodes as unknown as Node[])].filter((child): child is Element => child.nodeType === 1 && (child as Element).localName === name);

  it('has the manifest structure IMS CC 1.1 requires, every item resolving to a resource whose files are in the package', () => {
    const zipped = unzipSync(zipCartridge(files));
    expect(Object.keys(zipped).sort()).toEqual(Object.keys(files).sort());
    expect(Object.keys(zipped)).toContain('imsmanifest.xml');
    const manifest = parseXml(strFromU8(zipped['imsmanifest.xml'])).documentElement;
    expect(manifest.localName).toBe('manifest');
    expect(manifest.namespaceURI).toBe(CC_NAMESPACE);
    expect(manifest.getAttribute('identifier')).toMatch(/^[A-Za-z_][\w.-]*$/);

    const [metadata] = children(manifest, 'metadata');
    expect(children(metadata, 'schema')[0].textContent).toBe('IMS Common Cartridge');
    expect(children(metadata, 'schemaversion')[0].textContent).toBe('1.1.0');
    const title = metadata.getElementsByTagNameNS('http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest', 'string')[0];
    expect(title.textContent).toBe(assignment.title);

    // One organization, a rooted hierarchy: a single root item holding the items.
    const [organizations] = children(manifest, 'organizations');
    const organizationList = children(organizations, 'organization');
    expect(organizationList).toHaveLength(1);
    expect(organizationList[0].getAttribute('structure')).toBe('rooted-hierarchy');
    const roots = children(organizationList[0], 'item');
    expect(roots).toHaveLength(1);
    expect(roots[0].hasAttribute('identifierref')).toBe(false);
    const items = children(roots[0], 'item');

    const resources = children(children(manifest, 'resources')[0], 'resource');
    const byId = new Map(resources.map((resource) => [resource.getAttribute('identifier'), resource]));
    const identifiers = [...manifest.getElementsByTagName('*')].map((element) => element.getAttribute('identifier')).filter((id): id is string => Boolean(id));
    expect(new Set(identifiers).size).toBe(identifiers.length);
    for (const item of items) {
      expect(children(item, 'title')[0].textContent?.length).toBeGreaterThan(0);
      expect(byId.has(item.getAttribute('identifierref'))).toBe(true);
    }
    for (const resource of resources) {
      expect(['webcontent', WEBLINK_TYPE]).toContain(resource.getAttribute('type'));
      const fileRefs = children(resource, 'file').map((file) => file.getAttribute('href') ?? '');
      expect(fileRefs.length).toBeGreaterThan(0);
      for (const href of fileRefs) expect(Object.keys(zipped)).toContain(href);
    }

    // A web link per chapter (plus the assignment itself), each a valid webLink with an absolute URL.
    const links = resources.filter((resource) => resource.getAttribute('type') === WEBLINK_TYPE);
    expect(links).toHaveLength(1 + 2);
    const urls = links.map((resource) => {
      const link = parseXml(strFromU8(zipped[children(resource, 'file')[0].getAttribute('href')!])).documentElement;
      expect(link.localName).toBe('webLink');
      expect(link.namespaceURI).toBe(WEBLINK_NAMESPACE);
      expect(children(link, 'title')[0].textContent?.length).toBeGreaterThan(0);
      return children(link, 'url')[0].getAttribute('href');
    });
    expect(urls).toEqual([url, `${origin}/lessons/backprop/`, `${origin}/lessons/residual/`]);

    // The notes: escaped text in a page, never markup from the assignment.
    const notes = strFromU8(zipped['notes/notes.html']);
    expect(notes).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(notes).not.toContain('<script>');
    expect(notes).not.toContain('<b>skips</b>');
  });
});
