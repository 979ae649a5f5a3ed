// Confirmations in a modal <dialog> (not window.confirm): keyboard-usable and testable. Focus starts on the safe
// choice, Tab stays inside, Escape or "Keep" answers no, Enter on the action answers yes, and focus goes back to
// the control that asked.
import { h } from './dom.js';

export function confirmDialog(text, action) {
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const keep = h('button', { type: 'button', class: 'dialog-keep', value: 'keep' }, 'Keep');
    const go = h('button', { type: 'button', class: 'dialog-confirm danger', value: 'confirm' }, action);
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-text' },
      h('p', { id: 'confirm-text' }, text),
      h('div', { class: 'actions' }, keep, go));
    let answer = false;
    keep.addEventListener('click', () => dialog.close());
    go.addEventListener('click', () => { answer = true; dialog.close(); });
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    keep.focus();
  });
}
