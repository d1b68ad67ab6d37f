// A webview's first message can travel inside its HTML instead of through postMessage after a `ready`
// handshake: the host writes it as a JSON data block, the page reads it while its script starts. A data block
// (`<script type="application/json">`) is never run, so the CSP's nonce rule is not involved; the JSON is
// escaped so that no text in it (model output included) can close the block or start markup.

/** The id of the data block holding the page's first message. */
export const INITIAL_MESSAGE_ID = 'vlm4d-initial-message';

/**
 * `value` as JSON safe to place between `<script type="application/json">` and `</script>`: every `<`, `>`,
 * `&` and the two JavaScript line terminators are written as \u escapes, which JSON.parse reads back unchanged.
 */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
