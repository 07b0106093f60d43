/**
 * Text from workflow files and run folders (names, ids, reasons) shown in a terminal. Control
 * characters are removed, so an escape sequence in a workflow's name cannot move the cursor,
 * recolour or retitle the user's terminal; newlines and tabs stay (they are layout).
 */
// C0 controls except \t and \n, DEL, and the C1 controls (0x80-0x9f: CSI and friends).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function terminalSafe(text: string): string {
  return text.replace(CONTROL, '');
}
