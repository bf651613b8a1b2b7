import { markdownToSafeHtml } from '../../src/shared/markdown';

describe('maintenance descriptions in Markdown', () => {
  it('keeps text formatting and http(s) links', () => {
    expect(markdownToSafeHtml('Rolling upgrade of the **SMPP** binds; see [the notes](https://example.com/notes).\n\n- one\n- two')).toBe(
      '<p>Rolling upgrade of the <strong>SMPP</strong> binds; see <a href="https://example.com/notes" rel="noopener noreferrer nofollow">the notes</a>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n',
    );
  });

  it('lets no HTML, script, style, image or javascript: link through', () => {
    const html = markdownToSafeHtml('<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) ![i](https://example.com/i.png) <b style="x">b</b>');
    // Only <p> survives as a tag; the rest is text, escaped.
    expect([...html.matchAll(/<([a-z]+)/gi)].map((match) => match[1])).toEqual(['p']);
    expect(html).not.toMatch(/href=/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
