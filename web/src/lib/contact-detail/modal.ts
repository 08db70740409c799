import type { Attachment } from 'svelte/attachments';

/**
 * Shows a `<dialog>` as a modal for as long as it is mounted: the browser traps focus and stacks
 * nested modals. Escape, a click on the backdrop, or the browser closing it on its own all ask the
 * owner to close (the owner unmounts it); focus goes back where it was.
 *
 * Pass a fresh arrow (`{@attach modal(() => onClose())}`) so the attachment never re-runs.
 */
export function modal(onClose: () => void): Attachment<HTMLDialogElement> {
  return (dialog) => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();

    const cancel = (event: Event) => {
      event.preventDefault();
      onClose();
    };
    // Chrome may close without a cancellable `cancel` (repeated Escape); the owner must still know.
    const closed = () => onClose();
    // Only a press that starts and ends on the backdrop: a text selection dragged out of the panel is not a click away.
    let downOnBackdrop = false;
    const down = (event: MouseEvent) => (downOnBackdrop = event.target === dialog);
    const click = (event: MouseEvent) => {
      if (downOnBackdrop && event.target === dialog) onClose();
    };

    dialog.addEventListener('cancel', cancel);
    dialog.addEventListener('close', closed);
    dialog.addEventListener('mousedown', down);
    dialog.addEventListener('click', click);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      dialog.removeEventListener('close', closed);
      dialog.removeEventListener('mousedown', down);
      dialog.removeEventListener('click', click);
      if (before?.isConnected) before.focus();
    };
  };
}
