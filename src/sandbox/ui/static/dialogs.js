// The two dialogs: a button's confirm (asked before the click is sent, as Slack does) and the app's
// modals (views.open), whose inputs are read back as Slack's view_submission values.
/* global document */

/** Shows a confirm object ({title, text, confirm, deny, style}, server-rendered HTML); true on confirm. */
export function confirmDialog(spec) {
  const dialog = document.getElementById('confirm-dialog');
  document.getElementById('confirm-title').innerHTML = spec.title;
  document.getElementById('confirm-text').innerHTML = spec.text;
  document.getElementById('confirm-deny').innerHTML = spec.deny;
  const ok = document.getElementById('confirm-ok');
  ok.innerHTML = spec.confirm;
  ok.className = `btn ${spec.style === 'danger' ? 'btn-danger' : 'btn-primary'}`;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
  });
}

/** Draws the top modal of the stack (or closes the dialog when none is open). */
export function drawModal(state) {
  const dialog = document.getElementById('modal-dialog');
  const view = state.views.at(-1);
  if (!view) {
    if (dialog.open) dialog.close();
    delete dialog.dataset.view;
    return;
  }
  const key = `${view.id}:${view.html.length}:${view.title}`;
  if (dialog.dataset.view !== key) {
    dialog.dataset.view = key;
    dialog.dataset.viewId = view.id;
    document.getElementById('modal-title').innerHTML = view.title;
    document.getElementById('modal-body').innerHTML = view.html;
    document.getElementById('modal-close').innerHTML = view.close;
    const submit = document.getElementById('modal-submit');
    submit.hidden = !view.submit;
    if (view.submit) submit.innerHTML = view.submit;
    showErrors(view.errors ?? {});
  }
  if (!dialog.open) dialog.showModal();
  dialog.querySelector('[data-field]')?.focus();
}

/** Every input of the modal as block_id → action_id → value, what the server turns into state.values. */
export function modalValues() {
  const values = {};
  const put = (node, value) => {
    const block = node.dataset.blockId;
    const action = node.dataset.actionId;
    if (!block || !action) return;
    values[block] = { ...values[block], [action]: value };
  };
  for (const node of document.querySelectorAll('#modal-body [data-field]')) {
    const kind = node.dataset.field;
    if (kind === 'text' || kind === 'select') put(node, node.value === '' ? null : node.value);
    else if (kind === 'checkboxes')
      put(
        node,
        [...node.querySelectorAll('input:checked')].map((i) => i.value),
      );
    else if (kind === 'radio') put(node, node.querySelector('input:checked')?.value ?? null);
  }
  return values;
}

/** Errors from a response_action: errors ack, under the input of each block. */
export function showErrors(errors) {
  for (const node of document.querySelectorAll('#modal-body [data-error-for]')) {
    const error = errors[node.dataset.errorFor];
    node.hidden = !error;
    node.textContent = error ?? '';
  }
}
