// Text from result files (questions, model names, paths, reasons) printed to a terminal. A terminal acts on
// control sequences, so data could clear the screen, retitle the window or hide what follows (ESC, CSI, OSC,
// backspace, carriage return). Every control character but newline and tab is shown escaped instead, as are
// C1 controls (a lone 0x9B is a CSI to some terminals) and the bidirectional overrides that can reorder what a
// line appears to say. JSON output needs none of this: JSON.stringify escapes controls itself.

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `s` with every character a terminal could act on written as `\xNN` (or `\u{NNNN}` beyond Latin-1). */
export function terminalSafe(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
