/** Showing a failure the way tcpwire reports it: the sentence, the code, the offset. */

import { TcpWireError } from '../src/index.js';
import { h } from './dom.js';

/** What the offset of an error counts: bytes of a segment, or characters of the hex text. */
export type OffsetUnit = 'byte' | 'character';

/** Fills `box` with the error and shows it. */
export function showError(box: HTMLElement, err: unknown, unit: OffsetUnit = 'byte'): void {
  box.replaceChildren();
  box.hidden = false;
  if (err instanceof TcpWireError) {
    box.append(
      h('div', { class: 'error-head' }, h('code', { class: 'code', 'data-testid': 'error-code' }, err.code),
        err.offset >= 0 ? h('span', { class: 'where', 'data-testid': 'error-offset', 'data-offset': err.offset }, `at ${unit} ${err.offset}`) : null),
      h('p', { class: 'message', 'data-testid': 'error-message' }, err.message),
    );
  } else {
    box.append(
      h('div', { class: 'error-head' }, h('code', { class: 'code', 'data-testid': 'error-code' }, 'ERROR')),
      h('p', { class: 'message', 'data-testid': 'error-message' }, err instanceof Error ? err.message : String(err)),
    );
  }
}

/** Hides the error box. */
export function clearError(box: HTMLElement): void {
  box.hidden = true;
  box.replaceChildren();
}
