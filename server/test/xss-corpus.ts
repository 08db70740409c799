/**
 * Cross-site scripting payloads for the console test (test/e2e/xss.test.ts). Each one's executable
 * part calls `__xss('<id>')` (or `alert('<id>')`, caught as a dialog), so a payload that runs names
 * itself; the id is also what the test looks for in the rendered text to prove the payload was shown.
 * Ids are `xq` + three digits: short enough that every payload fits a 100-character contact name.
 */
export type XssKind =
  | 'script'
  | 'handler'
  | 'svg'
  | 'iframe'
  | 'javascript-url'
  | 'data-url'
  | 'breakout'
  | 'broken-markup'
  | 'template'
  | 'rtl'
  | 'css'
  | 'math'
  | 'object'
  | 'encoding';

export interface XssPayload {
  id: string;
  kind: XssKind;
  text: string;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** `§` stands for the payload's id; functions build the ones that need it encoded. */
const templates: [XssKind, string | ((id: string) => string)][] = [
  // <script> in its spellings
  ['script', `<script>__xss('§')</script>`],
  ['script', `<SCRIPT>__xss('§')</SCRIPT>`],
  ['script', `<ScRiPt>window['__xss']('§')</sCrIpT>`],
  ['script', `<script>alert('§')</script>`],
  ['script', `<script type=module>__xss('§')</script>`],
  ['script', `</script><script>__xss('§')</script>`],
  ['script', `<scr<script>ipt>__xss('§')</scr</script>ipt>`],
  ['script', `<script src=data:text/javascript,__xss('§')></script>`],
  ['script', (id) => `<script>eval(atob('${b64(`__xss('${id}')`)}'))//${id}</script>`],
  // event handlers
  ['handler', `<img src=x onerror=__xss('§')>`],
  ['handler', `<img src=x onerror="__xss('§')">`],
  ['handler', `<IMG SRC=x OnErRoR=__xss('§')>`],
  ['handler', `<img/src=x/onerror=__xss('§')>`],
  ['handler', `<img src=x onerror=alert('§')>`],
  ['handler', `<img\tsrc=x\nonerror=__xss('§')>`],
  ['handler', `<img srcset=x onerror=__xss('§')>`],
  ['handler', (id) => `<img src=x onerror=eval(atob('${b64(`__xss('${id}')`)}'))//${id}>`],
  ['handler', `<img src=x onerror="&#95;&#95;xss('§')">`],
  ['handler', `<img src=x onerror=__xss&#40;'§'&#41;>`],
  ['handler', `<body onload=__xss('§')>`],
  ['handler', `<input autofocus onfocus=__xss('§')>`],
  ['handler', `<input type=image src=x onerror=__xss('§')>`],
  ['handler', `<select autofocus onfocus=__xss('§')>`],
  ['handler', `<textarea autofocus onfocus=__xss('§')>`],
  ['handler', `<keygen autofocus onfocus=__xss('§')>`],
  ['handler', `<details open ontoggle=__xss('§')>`],
  ['handler', `<video><source onerror=__xss('§')></video>`],
  ['handler', `<audio src=x onerror=__xss('§')>`],
  ['handler', `<marquee onstart=__xss('§')>m</marquee>`],
  ['handler', `<div onmouseover=__xss('§')>hover me</div>`],
  ['handler', `<xss id=x tabindex=1 onfocusin=__xss('§')></xss>`],
  ['handler', `<a id=x tabindex=1 onfocus=__xss('§')>a</a>`],
  ['handler', `<style onload=__xss('§')></style>`],
  ['handler', `<slot onfocus=__xss('§') tabindex=1>`],
  ['handler', `<template><img src=x onerror=__xss('§')></template>`],
  // SVG
  ['svg', `<svg onload=__xss('§')>`],
  ['svg', `<svg/onload=__xss('§')>`],
  ['svg', `<svg><script>__xss('§')</script></svg>`],
  ['svg', `<svg><animate onbegin=__xss('§') attributeName=x dur=1s>`],
  ['svg', `<svg><a xlink:href="javascript:__xss('§')"><text y=9>x</text></a>`],
  ['svg', `<svg><set attributeName=onmouseover to=__xss('§')>`],
  ['svg', `<svg><foreignObject><img src=x onerror=__xss('§')>`],
  ['svg', `<svg><image href=x onerror=__xss('§')>`],
  ['svg', `<svg><style><img src=x onerror=__xss('§')></style></svg>`],
  ['svg', `<svg><script href=data:,__xss('§') />`],
  // iframes and srcdoc
  ['iframe', `<iframe srcdoc="<script>parent.__xss('§')</script>">`],
  ['iframe', `<iframe srcdoc="&lt;img src=x onerror=parent.__xss('§')&gt;">`],
  ['iframe', `<iframe src="javascript:parent.__xss('§')">`],
  ['iframe', `<iframe src="data:text/html,<script>parent.__xss('§')</script>">`],
  ['iframe', `<iframe onload=__xss('§')>`],
  ['iframe', `<frameset onload=__xss('§')>`],
  ['iframe', `<embed src="javascript:__xss('§')">`],
  // javascript: URLs (in case any text is ever linkified)
  ['javascript-url', `javascript:__xss('§')`],
  ['javascript-url', `JaVaScRiPt:__xss('§')`],
  ['javascript-url', `javascript://%0a__xss('§')`],
  ['javascript-url', `java\tscript:__xss('§')`],
  ['javascript-url', `javascript:alert('§')`],
  ['javascript-url', `<a href="javascript:__xss('§')">link</a>`],
  ['javascript-url', `<a href=javascript&colon;__xss('§')>link</a>`],
  ['javascript-url', `<a href="&#106;avascript:__xss('§')">x</a>`],
  ['javascript-url', `[click](javascript:__xss('§'))`],
  ['javascript-url', `<form action="javascript:__xss('§')"><button>go</button></form>`],
  ['javascript-url', `<button formaction=javascript:__xss('§')>go</button>`],
  ['javascript-url', `https://example.com/"onmouseover="__xss('§')`],
  // data: URLs
  ['data-url', `data:text/html,<script>__xss('§')</script>`],
  ['data-url', (id) => `data:text/html;base64,${b64(`<script>__xss('${id}')</script>`)}#${id}`],
  ['data-url', `data:image/svg+xml,<svg onload=__xss('§')>`],
  ['data-url', `<a href="data:text/html,<script>__xss('§')</script>">d</a>`],
  ['data-url', `<object data="data:text/html,<script>parent.__xss('§')</script>">`],
  ['data-url', `<embed src="data:image/svg+xml,<svg onload=parent.__xss('§')>">`],
  // attribute breakouts
  ['breakout', `"><img src=x onerror=__xss('§')>`],
  ['breakout', `'><img src=x onerror=__xss('§')>`],
  ['breakout', `" onmouseover="__xss('§')`],
  ['breakout', `' onfocus='__xss('§')' autofocus='`],
  ['breakout', `" autofocus onfocus="__xss('§')`],
  ['breakout', `"><svg onload=__xss('§')>`],
  ['breakout', `"/><script>__xss('§')</script>`],
  ['breakout', `</title><img src=x onerror=__xss('§')>`],
  ['breakout', `</textarea><img src=x onerror=__xss('§')>`],
  ['breakout', `</style><img src=x onerror=__xss('§')>`],
  ['breakout', `--><img src=x onerror=__xss('§')>`],
  ['breakout', `]]><img src=x onerror=__xss('§')>`],
  ['breakout', `</option></select><img src=x onerror=__xss('§')>`],
  // broken and unclosed markup, mutation tricks
  ['broken-markup', `<img src=x onerror=__xss('§')`],
  ['broken-markup', `<<script>__xss('§')//<</script>`],
  ['broken-markup', `<img """><script>__xss('§')</script>">`],
  ['broken-markup', `<!--<img src="--><img src=x onerror=__xss('§')//">`],
  ['broken-markup', `<noscript><p title="</noscript><img src=x onerror=__xss('§')>">`],
  ['broken-markup', `<a href="x" <img src=x onerror=__xss('§')>`],
  ['broken-markup', `<math><mtext><table><mglyph><style><img src=x onerror=__xss('§')>`],
  ['broken-markup', `<p id="</p><img src=x onerror=__xss('§')>">`],
  ['broken-markup', `<div><img src=x onerror=__xss('§')></span></p>`],
  // template syntaxes (Svelte, Angular, ERB, JS template literals)
  ['template', `{@html '<img src=x onerror=__xss("§")>'}`],
  ['template', `{__xss('§')}`],
  ['template', `{#if __xss('§')}{/if}`],
  ['template', `<svelte:element this="script">__xss('§')</svelte:element>`],
  ['template', `{{constructor.constructor("__xss('§')")()}}`],
  ['template', `\${__xss('§')}`],
  ['template', `<§= __xss('§') §>`],
  ['template', `#{__xss('§')}`],
  ['template', `{{7*7}}[[__xss('§')]]`],
  // right-to-left override tricks
  ['rtl', `\u202E<img src=x onerror=__xss('§')>`],
  ['rtl', `\u202Egpj.exe<script>__xss('§')</script>`],
  ['rtl', `abc\u202E>gmi<\u202D<svg onload=__xss('§')>`],
  ['rtl', `\u2066\u202E"><img src=x onerror=__xss('§')>\u2069`],
  ['rtl', `\u200F\u202Bjavascript:__xss('§')\u202C`],
  // CSS
  ['css', `<div style="background:url(javascript:__xss('§'))">c</div>`],
  ['css', `<div style="width:expression(__xss('§'))">c</div>`],
  ['css', `<style>@import 'javascript:__xss("§")';</style>`],
  ['css', `<link rel=stylesheet href="javascript:__xss('§')">`],
  ['css', `<style>*{background:url("javascript:__xss('§')")}</style>`],
  ['css', `x" style="background:url(javascript:__xss('§'))`],
  // MathML
  ['math', `<math><a xlink:href="javascript:__xss('§')">m</a></math>`],
  ['math', `<math><maction actiontype=statusline xlink:href=javascript:__xss('§')>m`],
  ['math', `<math href="javascript:__xss('§')">m</math>`],
  // object, embed, base, meta
  ['object', `<object data="javascript:__xss('§')">`],
  ['object', `<object data=x onerror=__xss('§')>`],
  ['object', `<embed code=x src=x onload=__xss('§')>`],
  ['object', `<base href="javascript:__xss('§')//">`],
  ['object', `<meta http-equiv="refresh" content="0;url=javascript:__xss('§')">`],
  ['object', `<isindex action=javascript:__xss('§') type=image>`],
  ['object', `<table background="javascript:__xss('§')">`],
  // encodings that a careless decoder would turn into markup
  ['encoding', `&lt;img src=x onerror=__xss('§')&gt;`],
  ['encoding', `%3Cscript%3E__xss('§')%3C/script%3E`],
  ['encoding', `\\u003cscript\\u003e__xss('§')\\u003c/script\\u003e`],
  ['encoding', `+ADw-script+AD4-__xss('§')+ADw-/script+AD4-`],
  ['encoding', `=HYPERLINK("javascript:__xss('§')")`],
  ['encoding', `\uFF1Cscript\uFF1E__xss('§')\uFF1C/script\uFF1E`],
];

export const xssCorpus: XssPayload[] = templates.map(([kind, t], i) => {
  const id = `xq${String(i + 1).padStart(3, '0')}`;
  return { id, kind, text: typeof t === 'function' ? t(id) : t.replaceAll('§', id) };
});

/** Every payload's id as it appears in rendered text. */
export const xssIdPattern = /xq\d{3}/g;
