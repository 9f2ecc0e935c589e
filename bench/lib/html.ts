// The one HTML escaper and page shell of bench's pages (the run report, the insights page): self-contained
// documents, no scripts, no external resources (the Content-Security-Policy says so to the browser too).

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface PageOptions {
  readonly title: string;
  readonly css: string;
  readonly body: string;
  /** Extra img-src sources besides data: (none by default). */
  readonly lang?: string;
}

/** A whole offline HTML document around a body. */
export function page({ title, css, body, lang = 'en' }: PageOptions): string {
  return `<!doctype html>
<html lang="${esc(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${css}</style></head>
<body>${body}</body></html>
`;
}
