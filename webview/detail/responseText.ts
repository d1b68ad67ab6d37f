// The response as plain text, with its final-answer sentence marked: what the view shows until the Markdown
// renderer has loaded (and if it never does). Text nodes only: nothing in the response is read as markup.

export function renderPlainText(into: HTMLElement, text: string, span: { start: number; end: number } | null): void {
  const box = document.createElement('div');
  box.className = 'plain';
  if (
    span &&
    Number.isSafeInteger(span.start) &&
    Number.isSafeInteger(span.end) &&
    span.start >= 0 &&
    span.start < span.end &&
    span.end <= text.length
  ) {
    const mark = document.createElement('mark');
    mark.className = 'final-answer';
    mark.title = 'The final-answer sentence';
    mark.textContent = text.slice(span.start, span.end);
    box.append(text.slice(0, span.start), mark, text.slice(span.end));
  } else box.textContent = text;
  into.replaceChildren(box);
}
