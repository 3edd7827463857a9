/**
 * An assignment as an IMS Common Cartridge 1.1 package, for Moodle, Canvas, Blackboard and other
 * LMSs: one web link per chapter (to the chapter, and the assignment link for students), and the
 * notes as a page. The zip is written by fflate. Pure: runs in the page and under vitest.
 */
import { strToU8, zipSync } from 'fflate';
import { chapterPath, type ResolvedAssignment } from './catalogue';
import { fileNamePart } from './file-name';
import type { Assignment } from './link';

export const CC_NAMESPACE = 'http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1';
export const WEBLINK_NAMESPACE = 'http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1';
const LOM_MANIFEST_NAMESPACE = 'http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest';
const LOM_RESOURCE_NAMESPACE = 'http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
export const WEBLINK_TYPE = 'imswl_xmlv1p1';

/** Text for an XML element or attribute value. Characters XML 1.0 cannot hold are dropped. */
export function xmlText(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function webLink(title: string, url: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<webLink xmlns="${WEBLINK_NAMESPACE}" xmlns:xsi="${XSI}" xsi:schemaLocation="${WEBLINK_NAMESPACE} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imswl_v1p1.xsd">
  <title>${xmlText(title)}</title>
  <url href="${xmlText(url)}" target="_blank"/>
</webLink>
`;
}

function notesPage(assignment: Assignment, assignmentUrl: string): string {
  const due = assignment.due ? `<p>Due: ${xmlText(assignment.due)}</p>\n` : '';
  const notes = assignment.notes
    .split(/\n{2,}/)
    .filter((paragraph) => paragraph.trim() !== '')
    .map((paragraph) => `<p>${xmlText(paragraph).replace(/\n/g, '<br/>')}</p>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"/><title>${xmlText(assignment.title)}</title></head>
<body>
<h1>${xmlText(assignment.title)}</h1>
${due}${notes}
<p><a href="${xmlText(assignmentUrl)}">Open the assignment in the course</a> (your checklist, progress and report).</p>
</body></html>
`;
}

export interface CartridgeInput {
  assignment: Assignment;
  resolved: ResolvedAssignment;
  /** The site's origin, e.g. https://course.example.org: web links must be absolute. */
  origin: string;
  /** The full assignment link students open. */
  assignmentUrl: string;
}

/** The cartridge's files by path: imsmanifest.xml first. */
export function cartridgeFiles({ assignment, resolved, origin, assignmentUrl }: CartridgeInput): Record<string, string> {
  const files: Record<string, string> = {};
  const items: string[] = [];
  const resources: string[] = [];
  const addLink = (identifier: string, title: string, url: string) => {
    const href = `${identifier}/weblink.xml`;
    files[href] = webLink(title, url);
    items.push(`        <item identifier="I_${identifier}" identifierref="${identifier}">\n          <title>${xmlText(title)}</title>\n        </item>`);
    resources.push(`    <resource identifier="${identifier}" type="${WEBLINK_TYPE}">\n      <file href="${href}"/>\n    </resource>`);
  };
  files['notes/notes.html'] = notesPage(assignment, assignmentUrl);
  items.push(`        <item identifier="I_NOTES" identifierref="R_NOTES">\n          <title>${xmlText(`${assignment.title}: instructions`)}</title>\n        </item>`);
  resources.push(`    <resource identifier="R_NOTES" type="webcontent" href="notes/notes.html">\n      <file href="notes/notes.html"/>\n    </resource>`);
  addLink('R_ASSIGNMENT', `${assignment.title}: checklist and report`, assignmentUrl);
  resolved.chapters.forEach(({ chapter, whole, exercises }, index) => {
    const what = whole ? 'read the chapter and do its exercises' : `exercises: ${exercises.map((exercise) => exercise.title).join('; ')}`;
    addLink(`R_CHAPTER_${index + 1}`, `Chapter ${chapter.number}, ${chapter.title} (${what})`, `${origin}${chapterPath(chapter.slug)}`);
  });
  const description = [assignment.due ? `Due ${assignment.due}.` : '', assignment.notes].filter(Boolean).join(' ');
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="M_${assignment.id}" xmlns="${CC_NAMESPACE}" xmlns:lom="${LOM_RESOURCE_NAMESPACE}" xmlns:lomimscc="${LOM_MANIFEST_NAMESPACE}" xmlns:xsi="${XSI}" xsi:schemaLocation="${CC_NAMESPACE} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd ${LOM_RESOURCE_NAMESPACE} http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lomresource_v1p0.xsd ${LOM_MANIFEST_NAMESPACE} http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd">
  <metadata>
    <schema>IMS Common Cartridge</schema>
    <schemaversion>1.1.0</schemaversion>
    <lomimscc:lom>
      <lomimscc:general>
        <lomimscc:title>
          <lomimscc:string language="en">${xmlText(assignment.title)}</lomimscc:string>
        </lomimscc:title>${
          description
            ? `
        <lomimscc:description>
          <lomimscc:string language="en">${xmlText(description)}</lomimscc:string>
        </lomimscc:description>`
            : ''
        }
      </lomimscc:general>
    </lomimscc:lom>
  </metadata>
  <organizations>
    <organization identifier="O_1" structure="rooted-hierarchy">
      <item identifier="I_ROOT">
${items.join('\n')}
      </item>
    </organization>
  </organizations>
  <resources>
${resources.join('\n')}
  </resources>
</manifest>
`;
  return { 'imsmanifest.xml': manifest, ...files };
}

/** The .imscc file's bytes (on their own ArrayBuffer, as a Blob wants them). */
export function zipCartridge(files: Record<string, string>): Uint8Array<ArrayBuffer> {
  return new Uint8Array(zipSync(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, strToU8(text)])), { level: 6 }));
}

/** A safe file name for the download. */
export function cartridgeFileName(assignment: Assignment): string {
  return `${fileNamePart(assignment.title, 60) || 'assignment'}.imscc`;
}
