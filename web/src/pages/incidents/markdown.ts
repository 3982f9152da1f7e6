/**
 * A deliberately small markdown preview for post-mortems: headings, bullet and task lists, bold,
 * italics, inline code and paragraphs. Every character of the input is HTML-escaped first and only
 * then are our own tags added, so the output cannot carry markup from the document. (The exported
 * `.md` file is the real artefact; this is only a preview.)
 */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function inline(text: string): string {
  return escape(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|\s)_([^_]+)_(?=\s|$|[.,;:!?])/g, '$1<em>$2</em>');
}

/** Markdown → safe HTML for the preview. */
export function markdownToHtml(markdown: string): string {
  const out: string[] = [];
  let list = false;
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) out.push(`<p>${paragraph.map(inline).join('<br>')}</p>`);
    paragraph = [];
  };
  const endList = () => {
    if (list) out.push('</ul>');
    list = false;
  };
  for (const raw of markdown.split(/\r?\n/)) {
    const line = raw.trimEnd();
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    const item = /^\s*[-*]\s+(\[( |x)\]\s*)?(.*)$/.exec(line);
    if (heading) {
      flush();
      endList();
      const level = (heading[1] ?? '#').length;
      out.push(`<h${level}>${inline(heading[2] ?? '')}</h${level}>`);
    } else if (item) {
      flush();
      if (!list) out.push('<ul>');
      list = true;
      const box = item[1] ? (item[2] === 'x' ? '☑ ' : '☐ ') : '';
      out.push(`<li>${box}${inline(item[3] ?? '')}</li>`);
    } else if (line === '') {
      flush();
      endList();
    } else {
      endList();
      paragraph.push(line);
    }
  }
  flush();
  endList();
  return out.join('\n');
}
