/**
 * `console/style.css`: one column on a phone, a grid of panels on a wide screen, system fonts only
 * (no external font), visible keyboard focus, and eight instance colours (classes, not inline
 * styles, so the CSP needs no 'unsafe-inline').
 */
export const CONSOLE_STYLE_CSS = `:root { color-scheme: light dark; --fg: #1b1f24; --bg: #f6f7f9; --panel: #fff; --muted: #57606a; --err: #b42318; --ok: #1a7f37; --line: #d0d7de; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --panel: #161b22; --muted: #9da7b3; --err: #ff7b72; --ok: #3fb950; --line: #30363d; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header, footer { padding: 0.75rem 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.1rem; margin: 0 0 0.4rem; }
h3 { font-size: 1rem; margin: 0.75rem 0 0.25rem; }
main { display: grid; gap: 0.75rem; padding: 0 1rem 1rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 24rem), 1fr)); }
.panel, .controls { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 0.75rem 1rem; }
.controls { margin: 0 1rem 0.75rem; }
.control-grid { display: grid; gap: 0.5rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 18rem), 1fr)); }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0; }
.try, .hint { color: var(--muted); margin: 0 0 0.5rem; }
.hint { font-size: 0.9rem; font-weight: normal; }
button, input, select { font: inherit; min-height: 2.25rem; margin: 0.15rem 0.1rem; }
button { border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); padding: 0.25rem 0.7rem; cursor: pointer; }
button:disabled { opacity: 0.6; cursor: progress; }
input, select { border: 1px solid var(--line); border-radius: 6px; padding: 0.2rem 0.4rem; background: var(--panel); color: var(--fg); max-width: 100%; }
input[type=number] { width: 6rem; }
:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
.result { margin: 0.5rem 0 0; padding-left: 0; overflow-wrap: anywhere; }
.lines { list-style: none; font-size: 0.92rem; }
.lines li, .log li { padding: 0.15rem 0; border-bottom: 1px dotted var(--line); }
.error { color: var(--err); }
.state { font-weight: 600; }
.log { max-height: 12rem; overflow: auto; padding-left: 1.2rem; font-size: 0.9rem; }
.tally { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3rem; }
.tag { display: inline-block; border-radius: 999px; padding: 0.05rem 0.6rem; margin-left: 0.4rem; font-size: 0.85rem; color: #fff; }
.instance { display: flex; flex-wrap: wrap; align-items: center; gap: 0.2rem; }
.instance .tag { margin-left: 0; }
.up { background: var(--ok); } .down { background: var(--err); }
.c0 { background: #0969da; } .c1 { background: #8250df; } .c2 { background: #bf3989; } .c3 { background: #bc4c00; }
.c4 { background: #1a7f37; } .c5 { background: #0a7480; } .c6 { background: #6e7781; } .c7 { background: #9a6700; }
code { font-size: 0.9em; }
.links { font-size: 0.85rem; color: var(--muted); margin: 0 0 0.4rem; }
.diagram { margin: 0 1rem 0.75rem; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 0.75rem 1rem; }
#diagram-svg { width: 100%; height: auto; max-height: 28rem; }
.node rect { fill: var(--bg); stroke: var(--fg); stroke-width: 1.5; }
.node .title { font: 600 12px system-ui, sans-serif; fill: var(--fg); }
.node .detail, .link .detail { font: 11px system-ui, sans-serif; fill: var(--muted); }
.node.down rect { stroke: var(--err); stroke-dasharray: 5 3; }
.node.down .title { text-decoration: line-through; }
.node.draining rect, .node.behind rect { stroke: #9a6700; stroke-dasharray: 2 2; }
.node.hl rect { stroke: #0969da; stroke-width: 3.5; }
.node.lost rect { stroke: var(--err); stroke-width: 3.5; }
.link path { fill: none; stroke: var(--line); stroke-width: 1.2; }
.link.broken path, .link.held path { stroke: var(--err); stroke-dasharray: 6 4; }
.link.flowing path { stroke: var(--ok); stroke-width: 2; }
.link.hl path { stroke: #0969da; stroke-width: 3.5; }
.lagbar .track { fill: none; stroke: var(--muted); }
.lagbar .fill { fill: #9a6700; }
.path { font-weight: 600; min-height: 1.5em; margin: 0.25rem 0; }
.plots { display: grid; gap: 0.5rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 17rem), 1fr)); }
figure { margin: 0; } figcaption { font-size: 0.8rem; color: var(--muted); }
.plots svg { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
.axis { font: 10px system-ui, sans-serif; fill: var(--muted); }
.grid { stroke: var(--line); }
.series { fill: none; stroke: var(--fg); stroke-width: 1.5; } .series.s1 { stroke-dasharray: 5 3; } .series.s2 { stroke-dasharray: 1 2; }
.bar { fill: #0969da; } .bar.s1 { fill: #bc4c00; } .bar.s2 { fill: #6e7781; }
`;
