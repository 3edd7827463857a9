/**
 * A message next to a settings control: the control is marked aria-invalid and the message sits
 * in the element its aria-describedby points to, so a screen reader reads both together. Used for
 * bad input typed into a control and for bad values in a link alike.
 */
export function setControlError(control: Element | null, error: HTMLElement | null, message: string): void {
  if (control) {
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  }
  if (error) {
    error.textContent = message;
    error.hidden = !message;
  }
}
