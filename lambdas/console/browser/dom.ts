/** The page's DOM helpers, shared by the panels, the diagram and the controls. */

/** The element with this id; the page's markup (console-page.ts) has every id the script names. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`console: no element #${id} on the page`);
  return element as T;
}

/** A result paragraph's text; an error is styled and announced (role=alert). */
export function setResult(el: HTMLElement, text: string, isError: boolean): void {
  el.textContent = text;
  el.className = 'result' + (isError ? ' error' : '');
  if (isError) el.setAttribute('role', 'alert');
}

/** The same colour for an instance on every load: from its name, not from the order seen. */
export function colourOf(name: string): string {
  const m = /^(fargate|lambda)-(\d+)$/.exec(name || '');
  if (m) return 'c' + (((m[1] === 'lambda' ? 4 : 0) + Number(m[2]) - 1) % 8);
  let h = 0;
  for (let i = 0; i < String(name).length; i++) h = (h * 31 + String(name).charCodeAt(i)) >>> 0;
  return 'c' + (h % 8);
}

/** Adds a line at the bottom of a result list (oldest first, the last 8 kept). */
export function addLine(list: HTMLElement, text: string, isError: boolean, instance?: string | null): void {
  const li = document.createElement('li');
  li.textContent = new Date().toLocaleTimeString() + '  ' + text;
  if (isError) li.className = 'error';
  if (instance) {
    const tag = document.createElement('span');
    tag.className = 'tag ' + colourOf(instance);
    tag.textContent = instance;
    li.appendChild(tag);
  }
  list.appendChild(li);
  while (list.children.length > 8 && list.firstChild) list.removeChild(list.firstChild);
}

/** A button that runs `handler` on click, disabled until it settles (a failure is logged, not thrown). */
export function onClick(id: string, handler: () => unknown): void {
  const el = byId<HTMLButtonElement>(id);
  el.addEventListener('click', () => {
    el.disabled = true;
    Promise.resolve()
      .then(handler)
      .catch((e: unknown) => console.error(e))
      .then(() => {
        el.disabled = false;
      });
  });
}
