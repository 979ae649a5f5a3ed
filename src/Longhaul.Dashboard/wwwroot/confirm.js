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
      // A live update may have re-drawn the opener meanwhile: its successor (same id or data-focus) gets the focus.
      let target = opener instanceof HTMLElement && opener.isConnected ? opener : null;
      if (!target && opener instanceof HTMLElement) {
        target = (opener.id && document.getElementById(opener.id))
          || (opener.dataset.focus && document.querySelector(`[data-focus="${CSS.escape(opener.dataset.focus)}"]`))
          || document.getElementById('main');
      }
      if (target) target.focus();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    keep.focus();
  });
}
