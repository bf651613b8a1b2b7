import { Eta } from 'eta';

/** The small HTML page a browser gets for a subscribe form, a confirmation or an unsubscribe link. */
export interface AnswerPage {
  /** The status page's title. */
  pageTitle: string;
  heading: string;
  paragraphs: string[];
  /** Where to go next: back to the status page (and its subscribe form). */
  link: { href: string; text: string };
}

// Every interpolation is escaped (eta's default): titles and messages come from admins and requests.
const eta = new Eta({ autoEscape: true });
eta.loadTemplate(
  '@answer',
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title><%= it.heading %> · <%= it.pageTitle %></title>
<style>
body { font-family: system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #fff; line-height: 1.5; }
main { max-width: 36rem; margin: 3rem auto; padding: 0 1rem; }
a { color: #0b57d0; }
</style>
</head>
<body>
<main>
<p><%= it.pageTitle %></p>
<h1><%= it.heading %></h1>
<% it.paragraphs.forEach(function (paragraph) { %>
<p><%= paragraph %></p>
<% }) %>
<p><a href="<%= it.link.href %>"><%= it.link.text %></a></p>
</main>
</body>
</html>
`,
);

export function renderAnswerPage(page: AnswerPage): string {
  return eta.render('@answer', page);
}
