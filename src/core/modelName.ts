// Model names in little room: "Qwen2.5-VL-72B-Instruct" keeps its start and its end (the size or variant that
// tells it from its siblings), and the middle gives way: "Qwen2.5-VL…-72B-Instruct". Browser-safe: the views
// draw the head with an ellipsis (webview/shared/modelName.ts), so the browser cuts exactly what the room needs.

/** The most of a name kept whole at its end. */
const MAX_TAIL = 16;

/** Splits `name` into a head that may be cut and a tail always shown. */
export function splitModelName(name: string): { head: string; tail: string } {
  // From the parameter count on ("-72B-Instruct", "-7B"), when short enough; else the last part ("-FP8").
  const size = /[-_]\d+(?:\.\d+)?[BM](?=$|[-_])/i.exec(name);
  let at = size && name.length - size.index <= MAX_TAIL ? size.index : -1;
  if (at < 0) {
    const last = Math.max(name.lastIndexOf('-'), name.lastIndexOf('_'));
    at = last > 0 && name.length - last <= MAX_TAIL / 2 + 4 ? last : -1;
  }
  if (at < 0) at = name.length > 12 ? name.length - 6 : name.length;
  // A tail that is the whole name (or most of it) leaves nothing to cut: the head then holds it all.
  if (at < 4) at = name.length;
  return { head: name.slice(0, at), tail: name.slice(at) };
}

/** `name` in at most `max` characters, cut in the middle of its head: for places text alone can go. */
export function elideModelName(name: string, max: number): string {
  if (name.length <= max) return name;
  const { head, tail } = splitModelName(name);
  const keep = max - tail.length - 1;
  return keep >= 3 ? `${head.slice(0, keep)}…${tail}` : `${name.slice(0, Math.max(1, max - 1))}…`;
}
