/** A piece of a download's file name from free text: ASCII letters, digits and dashes, lower case. */
export function fileNamePart(text: string, maxLength: number): string {
  return text
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .toLowerCase()
    .slice(0, maxLength);
}
