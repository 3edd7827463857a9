/**
 * /assignment/: reads the assignment from the link's #fragment, shows it with the student's
 * progress ticking live, keeps it as active (so chapter pages show a banner), lists the other
 * active assignments with a Dismiss button each, and downloads the completion report.
 */
import { browserStorage } from '~/exercises/progress-store';
import { progress } from '~/exercises/progress-instance';
import { downloadBlob } from '~/widgets/kit/chart-export';
import { addActive, dismissActive, readActive } from './active-store';
import { readCatalogue, resolveAssignment } from './catalogue';
import { ASSIGNMENT_PATH, decodeAssignment, type DecodedLink } from './link';
import { buildReport, reportFileName, serializeReport } from './report';
import { element, renderAssignmentView } from './student-view';

const NAME_KEY = 'skipcourse:student-name';
const storage = browserStorage();
const catalogue = readCatalogue();

const part = <T extends HTMLElement>(name: string) => document.querySelector<T>(`[data-${name}]`);
const problemsBox = part<HTMLElement>('assignment-problems')!;
const view = part<HTMLElement>('assignment-view')!;
const reportSection = part<HTMLElement>('assignment-report')!;
const reportForm = part<HTMLFormElement>('report-form')!;
const nameInput = reportForm.querySelector<HTMLInputElement>('input[name="name"]')!;
const nameError = part<HTMLElement>('report-name-error')!;
const reportStatus = part<HTMLElement>('report-status')!;
const activeList = part<HTMLUListElement>('assignment-active-list')!;
const activeEmpty = part<HTMLElement>('assignment-active-empty')!;
const activeStatus = part<HTMLElement>('assignment-active-status')!;

let current: DecodedLink | undefined;

function showProblems(decoded: DecodedLink | undefined, keptNote: string): void {
  problemsBox.replaceChildren();
  const problems = decoded?.problems ?? [];
  if (problems.length === 0 && !keptNote) return;
  const box = element('div', undefined, 'assignment-problems');
  box.setAttribute('role', 'alert');
  if (problems.length) {
    box.append(element('h2', decoded?.status === 'unreadable' ? 'This assignment link cannot be read' : 'This assignment link has problems'));
    const list = element('ul');
    for (const problem of problems) list.append(element('li', problem));
    box.append(list);
  }
  if (keptNote) box.append(element('p', keptNote));
  problemsBox.append(box);
}

function renderCurrent(): void {
  if (!current || current.status === 'unreadable') {
    view.replaceChildren();
    reportSection.hidden = true;
    return;
  }
  renderAssignmentView(view, current.assignment, catalogue, progress.data, { headingLevel: 2, idPrefix: 'assignment' });
  reportSection.hidden = !current.assignment.id;
}

async function renderActiveList(): Promise<void> {
  const active = readActive(storage);
  activeEmpty.hidden = active.length > 0;
  const items = await Promise.all(
    active.map(async (entry) => {
      const decoded = await decodeAssignment(entry.fragment);
      const item = element('li');
      const isCurrent = current?.assignment.id === entry.id;
      if (isCurrent) {
        item.append(element('span', `${decoded.assignment.title || 'Untitled assignment'} (shown above)`));
      } else {
        const link = element('a', decoded.assignment.title || 'Untitled assignment');
        link.href = `${ASSIGNMENT_PATH}#${entry.fragment}`;
        item.append(link);
      }
      if (decoded.assignment.due) item.append(element('span', `due ${decoded.assignment.due}`, 'assignment-checklist__meta'));
      const dismiss = element('button', 'Dismiss', 'button');
      dismiss.type = 'button';
      dismiss.setAttribute('aria-label', `Dismiss “${decoded.assignment.title || 'Untitled assignment'}”`);
      dismiss.addEventListener('click', () => {
        dismissActive(storage, entry.id);
        activeStatus.textContent = `Dismissed “${decoded.assignment.title || 'Untitled assignment'}”: chapter pages no longer remind you of it. Open its link again to bring it back.`;
        void renderActiveList().then(() => activeStatus.focus());
      });
      item.append(dismiss);
      return item;
    }),
  );
  activeList.replaceChildren(...items);
}

async function openFromLink(): Promise<void> {
  const fragment = location.hash.slice(1);
  current = fragment ? await decodeAssignment(fragment) : undefined;
  let keptNote = '';
  if (current && current.status !== 'unreadable' && current.assignment.id) {
    if (!addActive(storage, current.assignment.id, fragment)) {
      keptNote = 'This browser does not let the page keep the assignment, so chapter pages will not remind you of it: keep the link.';
    }
  }
  showProblems(current, keptNote);
  renderCurrent();
  await renderActiveList();
}

reportForm.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!current || current.status === 'unreadable') return;
  const name = nameInput.value.trim();
  if (!name) {
    nameError.textContent = 'Type your name first: your instructor needs it to tell the reports apart.';
    nameInput.setAttribute('aria-invalid', 'true');
    nameInput.focus();
    return;
  }
  nameError.textContent = '';
  nameInput.removeAttribute('aria-invalid');
  try {
    storage?.setItem(NAME_KEY, name);
  } catch {
    // Not remembering the name costs the student a few keystrokes next time, nothing more.
  }
  const assignment = current.assignment;
  const body = buildReport(assignment, resolveAssignment(assignment, catalogue), progress.data, name);
  void serializeReport(body).then((text) => {
    downloadBlob(new Blob([text], { type: 'application/json' }), reportFileName(body));
    const solved = body.exercises.filter((exercise) => exercise.solved).length;
    reportStatus.textContent = `Downloaded ${reportFileName(body)}: ${solved} of ${body.exercises.length} exercises solved. Hand the file in as your instructor asked.`;
  });
});

try {
  nameInput.value = storage?.getItem(NAME_KEY) ?? '';
} catch {
  nameInput.value = '';
}
activeStatus.tabIndex = -1;
progress.subscribe(renderCurrent);
window.addEventListener('hashchange', () => void openFromLink());
void openFromLink();
